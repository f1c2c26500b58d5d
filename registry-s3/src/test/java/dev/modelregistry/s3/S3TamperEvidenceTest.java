package dev.modelregistry.s3;

import dev.modelregistry.Sha256;
import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.TamperEvidenceConformanceTests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The tamper-evidence suite on the S3 backend. Tampering is the raw S3 client on the objects under
 * the registry's prefix (log objects and snapshots), as anyone with write access to the bucket
 * could. Snapshots every 2 entries, so the suite's history ends with an append a snapshot covers
 * (the backend's second record of the end of the log).
 */
class S3TamperEvidenceTest extends TamperEvidenceConformanceTests {
    private final S3Client s3 = S3MockServer.client();
    private String prefix;

    @Override
    protected Backend openBackend(Path dir) {
        prefix = S3MockServer.uniquePrefix("tamper");
        Linearizer linearizer = new Linearizer();
        return () -> S3Registry.builder(S3Config.builder(S3MockServer.BUCKET)
                .prefix(prefix)
                .client(new LinearizingS3Client(S3MockServer.client(), linearizer))
                .snapshotEvery(2)
                .changeCheckInterval(Duration.ZERO)
                .build());
    }

    /** A stored object and the sequence number of each of its entry lines. */
    private record StoredObject(String key, List<String> lines, long firstEntryLine, long firstSequence) {
        boolean holds(long sequence) {
            return sequence >= firstSequence && sequence < firstSequence + lines.size() - firstEntryLine;
        }

        int lineOf(long sequence) {
            return (int) (firstEntryLine + sequence - firstSequence);
        }
    }

    private List<StoredObject> objects(String model, boolean withSnapshots) {
        List<StoredObject> out = new ArrayList<>();
        String logs = prefix + "/models/" + model + "/log/";
        for (String key : S3MockServer.keysUnder(logs)) {
            long first = Long.parseLong(key.substring(logs.length(), key.length() - ".json".length()));
            out.add(new StoredObject(key, read(key), 0, first));
        }
        if (withSnapshots) {
            for (String key : S3MockServer.keysUnder(prefix + "/models/" + model + "/snapshot/")) {
                List<String> lines = read(key);
                out.add(new StoredObject(key, lines, 1, LogObjects.segmentStart(lines.get(0))));
            }
        }
        return out;
    }

    private List<String> read(String key) {
        String text = s3.getObjectAsBytes(r -> r.bucket(S3MockServer.BUCKET).key(key)).asString(StandardCharsets.UTF_8);
        return new ArrayList<>(List.of(text.split("\n")));
    }

    private void write(String key, List<String> lines) {
        s3.putObject(r -> r.bucket(S3MockServer.BUCKET).key(key), RequestBody.fromString(String.join("\n", lines)));
    }

    private void delete(String key) {
        s3.deleteObject(r -> r.bucket(S3MockServer.BUCKET).key(key));
    }

    @Override
    protected void rewriteStoredEntry(String model, long sequence, UnaryOperator<String> edit) {
        for (StoredObject o : objects(model, true)) {
            if (o.holds(sequence)) {
                o.lines().set(o.lineOf(sequence), edit.apply(o.lines().get(o.lineOf(sequence))));
                write(o.key(), o.lines());
            }
        }
    }

    @Override
    protected void deleteStoredEntry(String model, long sequence) {
        objects(model, false).stream().filter(o -> o.holds(sequence)).forEach(o -> delete(o.key()));
    }

    @Override
    protected void swapStoredEntries(String model, long a, long b) {
        StoredObject first = objects(model, false).stream().filter(o -> o.firstSequence() == a).findFirst().orElseThrow();
        StoredObject second = objects(model, false).stream().filter(o -> o.firstSequence() == b).findFirst().orElseThrow();
        write(first.key(), second.lines());
        write(second.key(), first.lines());
    }

    @Override
    protected void deleteTail(String model, long fromSequence) {
        objects(model, false).stream().filter(o -> o.firstSequence() >= fromSequence).forEach(o -> delete(o.key()));
    }

    @Override
    protected void flipArtifactByte(Sha256 digest) {
        String key = prefix + "/artifacts/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex();
        byte[] bytes = s3.getObjectAsBytes(r -> r.bucket(S3MockServer.BUCKET).key(key)).asByteArray();
        bytes[0] ^= 0x01;
        s3.putObject(r -> r.bucket(S3MockServer.BUCKET).key(key), RequestBody.fromBytes(bytes));
    }
}
