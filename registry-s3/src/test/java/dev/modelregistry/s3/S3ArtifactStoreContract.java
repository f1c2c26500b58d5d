package dev.modelregistry.s3;

import dev.modelregistry.ArtifactStore;
import dev.modelregistry.Sha256;
import dev.modelregistry.testkit.contract.ArtifactStoreContractTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The artifact store contract against S3Mock, over a key prefix of the test's own: content is
 * {@code artifacts/sha256/…}; any other key, any multipart upload still open and any file in the
 * spool folder is a leftover. Subclasses choose the settings that decide which way each size is
 * written; parts are S3's smallest, 5 MiB, and content from 64 KiB on is not sent from memory.
 */
abstract class S3ArtifactStoreContract extends ArtifactStoreContractTests {
    static final int PART = S3Config.MIN_PART_SIZE;
    static final int THRESHOLD = 64 * 1024;
    /** Above the threshold, below a part: one buffer. */
    static final int ONE_BUFFER = 200_000;
    /** Just over one part: a second buffer, a second part, a second copied range. */
    static final int TWO_PARTS = PART + 4096;

    private final String prefix = S3MockServer.uniquePrefix("artifact-contract");
    private Path spool;

    /** Sets what decides the put paths: the single-PUT limit, the single-copy limit. */
    abstract void configure(S3Config.Builder settings);

    @Override
    protected ArtifactStore openStore(Path dir) throws IOException {
        spool = Files.createDirectories(dir.resolve("spool"));
        S3Config.Builder b = S3Config.builder(S3MockServer.BUCKET).prefix(prefix).client(S3MockServer.client())
                .partSize(PART).multipartThreshold(THRESHOLD).spoolDirectory(spool);
        configure(b);
        return S3Registry.artifactStore(b.build());
    }

    @Override
    protected boolean supportsSecondInstance() {
        return true;
    }

    @Override
    protected List<Integer> thresholdSizes() {
        return List.of(ONE_BUFFER, TWO_PARTS);
    }

    @Override
    protected int raceThreads() {
        return 4;
    }

    private String contentPrefix() {
        return prefix + "/artifacts/sha256/";
    }

    @Override
    protected Optional<List<String>> storedContent() {
        return Optional.of(S3MockServer.keysUnder(contentPrefix()));
    }

    @Override
    protected List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>(S3MockServer.keysUnder(prefix).stream().filter(k -> !k.startsWith(contentPrefix())).toList());
        S3MockServer.openUploadsUnder(prefix).forEach(key -> left.add("open multipart upload of " + key));
        try (Stream<Path> files = Files.list(spool)) {
            files.forEach(f -> left.add("spool file " + f));
        }
        return left;
    }

    @Override
    protected boolean corrupt(Sha256 digest) {
        String key = contentPrefix() + digest.hex().substring(0, 2) + "/" + digest.hex();
        byte[] bytes = S3MockServer.client().getObjectAsBytes(r -> r.bucket(S3MockServer.BUCKET).key(key)).asByteArray();
        bytes[bytes.length / 2] ^= 1;
        S3MockServer.client().putObject(r -> r.bucket(S3MockServer.BUCKET).key(key), RequestBody.fromBytes(bytes));
        return true;
    }
}
