package dev.modelregistry.s3;

import dev.modelregistry.spi.DigestVerifyingInputStream;
import static dev.modelregistry.s3.S3MockServer.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What only S3 shows: request counts per path, key layout, resumed downloads, injected part failures
 * and directories. Round trips, write-once, failing content and corruption are the contract's
 * ({@link S3SpooledArtifactStoreContractTest}, {@link S3MultipartArtifactStoreContractTest}).
 */
@DisplayName("The S3 artifact store, against S3Mock")
class S3ArtifactStoreTest {
    private static final int PART = S3Config.MIN_PART_SIZE;

    private String prefix;
    private FaultInjectingS3Client client;
    private S3ArtifactStore store;
    private boolean spooling;

    @BeforeEach
    void open() {
        prefix = S3MockServer.uniquePrefix("artifacts");
        client = new FaultInjectingS3Client(S3MockServer.client());
        store = storeWith(b -> { });
    }

    private S3ArtifactStore storeWith(java.util.function.Consumer<S3Config.Builder> settings) {
        S3Config.Builder b = S3Config.builder(BUCKET).prefix(prefix).client(client).partSize(PART);
        settings.accept(b);
        if (!spooling) {
            b.singlePutLimit(0);
        }
        return S3Registry.artifactStore(b.build());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private String keyOf(Sha256 digest) {
        return prefix + "/artifacts/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex();
    }

    @Nested
    @DisplayName("storing and reading")
    class RoundTrips {

        @Test
        @DisplayName("keeps small content under its digest with one PutObject and reads it back verified")
        void small() throws IOException {
            byte[] bytes = GeneratedContent.bytes(1000, 1);
            StoredArtifact stored = store.put(new ByteArrayInputStream(bytes));

            assertThat(stored.sha256()).isEqualTo(Sha256.digest(bytes));
            assertThat(stored.size()).isEqualTo(1000);
            assertThat(stored.uri().toString()).isEqualTo("s3://" + BUCKET + "/" + keyOf(stored.sha256()));
            assertThat(S3MockServer.keysUnder(prefix)).containsExactly(keyOf(stored.sha256()));
            assertThat(client.count("PutObject")).isEqualTo(1);
            assertThat(client.count("UploadPart")).isZero();
            assertThat(readAll(store.open(stored.sha256()))).isEqualTo(bytes);
            assertThat(store.find(stored.sha256())).contains(stored);
        }

        @Test
        @DisplayName("uploads content above the threshold in parts, then moves it to its digest and leaves no temporary object")
        void multipart() throws IOException {
            int size = 2 * PART + 12345;
            byte[] bytes = GeneratedContent.bytes(size, 2);
            StoredArtifact stored = store.put(new DigestVerifyingInputStream(new GeneratedContent(size, 2), Sha256.digest(bytes), -1, "Artifact"));

            assertThat(stored.sha256()).isEqualTo(Sha256.digest(bytes));
            assertThat(stored.size()).isEqualTo(size);
            assertThat(client.count("UploadPart")).isEqualTo(3);
            assertThat(S3MockServer.keysUnder(prefix)).containsExactly(keyOf(stored.sha256()));
            assertThat(S3MockServer.openUploadsUnder(prefix)).isEmpty();
            assertThat(readAll(store.open(stored.sha256()))).isEqualTo(bytes);
        }

        @Test
        @DisplayName("resumes a download whose connection breaks mid-body, and still verifies the digest")
        void resumesBrokenDownload() throws IOException {
            int size = PART + 999;
            byte[] bytes = GeneratedContent.bytes(size, 4);
            StoredArtifact stored = store.put(new ByteArrayInputStream(bytes));
            client.breakBodies(1024 * 1024, 2);

            assertThat(readAll(store.open(stored.sha256()))).isEqualTo(bytes);
            assertThat(client.count("GetObject")).isEqualTo(3);
        }
    }

    @Nested
    @DisplayName("content up to the single-PUT limit")
    class Spooled {
        @TempDir
        Path spool;

        private S3ArtifactStore spoolingStore(long limit) {
            spooling = true;
            return storeWith(b -> b.singlePutLimit(limit).spoolDirectory(spool));
        }

        @Test
        @DisplayName("is spooled to a local file while hashed and sent with one PutObject straight to its digest")
        void onePut() throws IOException {
            S3ArtifactStore spooled = spoolingStore(4L * PART);
            int size = 2 * PART + 321;
            byte[] bytes = GeneratedContent.bytes(size, 21);
            StoredArtifact stored = spooled.put(new GeneratedContent(size, 21));

            assertThat(stored.sha256()).isEqualTo(Sha256.digest(bytes));
            assertThat(client.count("PutObject")).isEqualTo(1);
            assertThat(client.count("UploadPart")).isZero();
            assertThat(S3MockServer.keysUnder(prefix)).containsExactly(keyOf(stored.sha256()));
            assertThat(readAll(spooled.open(stored.sha256()))).isEqualTo(bytes);
            try (var left = Files.list(spool)) {
                assertThat(left).as("spool files left").isEmpty();
            }
        }

        @Test
        @DisplayName("that turns out larger continues as a multipart upload, spooled bytes first, and stores the right digest")
        void overTheLimit() throws IOException {
            S3ArtifactStore spooled = spoolingStore(2L * PART);
            long size = 3L * PART + 5;
            StoredArtifact stored = spooled.put(new DigestVerifyingInputStream(new GeneratedContent(size, 22), GeneratedContent.digestOf(size, 22), -1, "Artifact"));

            assertThat(stored.size()).isEqualTo(size);
            assertThat(client.count("UploadPart")).isEqualTo(4);
            assertThat(S3MockServer.keysUnder(prefix)).containsExactly(keyOf(stored.sha256()));
            assertThat(S3MockServer.openUploadsUnder(prefix)).isEmpty();
            assertThat(Sha256.digest(readAll(spooled.open(stored.sha256())))).isEqualTo(stored.sha256());
            try (var left = Files.list(spool)) {
                assertThat(left).as("spool files left").isEmpty();
            }
        }

        /*
         * The one put path the contract's sizes do not reach with a failing stream: the failure has
         * to come after the content has passed the limit and the spooled bytes were replayed into a
         * multipart upload, which takes two full parts first.
         */
        @Test
        @DisplayName("that passes the limit and then fails the digest check at its end stores nothing, and leaves no spool file, temporary object or open upload")
        void overTheLimitThenMismatch() throws IOException {
            S3ArtifactStore spooled = spoolingStore(PART + 1);
            Sha256 wrong = Sha256.digest(new byte[] {7});
            long size = 2L * PART + 5;
            assertThatThrownBy(() -> spooled.put(new DigestVerifyingInputStream(new GeneratedContent(size, 24), wrong, -1, "Artifact")))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining(wrong.hex());

            assertThat(client.count("UploadPart")).as("parts uploaded before the end of the content").isEqualTo(2);
            assertThat(S3MockServer.keysUnder(prefix)).isEmpty();
            assertThat(S3MockServer.openUploadsUnder(prefix)).isEmpty();
            try (var left = Files.list(spool)) {
                assertThat(left).as("spool files left").isEmpty();
            }
        }
    }

    @Nested
    @DisplayName("failures during an upload")
    class Failures {

        @Test
        @DisplayName("a part upload that fails aborts the multipart upload and leaves no object")
        void failingPart() {
            client.failUploadOfPart(2);
            assertThatThrownBy(() -> store.put(new GeneratedContent(3L * PART, 10)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("part 2");

            assertThat(S3MockServer.openUploadsUnder(prefix)).isEmpty();
            assertThat(S3MockServer.keysUnder(prefix)).isEmpty();
        }
    }

    @Nested
    @DisplayName("directories")
    class Directories {
        @TempDir
        Path temp;

        @Test
        @DisplayName("stores a model folder file by file with a manifest, and restores it byte for byte")
        void roundTrip() throws IOException {
            Path dir = Files.createDirectories(temp.resolve("saved_model"));
            Files.write(dir.resolve("saved_model.pb"), GeneratedContent.bytes(3000, 11));
            Files.createDirectories(dir.resolve("variables"));
            Files.write(dir.resolve("variables/variables.data-00000-of-00001"), GeneratedContent.bytes(PART + 5, 12));
            Files.write(dir.resolve("variables/variables.index"), new byte[0]);
            Files.write(dir.resolve("assets.txt"), GeneratedContent.bytes(3000, 11));

            StoredArtifact manifest = store.putDirectory(dir);
            Path restored = temp.resolve("restored");
            store.getDirectory(manifest.sha256(), restored);

            for (String file : new String[] {"saved_model.pb", "variables/variables.data-00000-of-00001", "variables/variables.index", "assets.txt"}) {
                assertThat(Files.readAllBytes(restored.resolve(file))).as(file).isEqualTo(Files.readAllBytes(dir.resolve(file)));
            }
            try (var files = Files.walk(restored)) {
                assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(4);
            }
            // Two files with equal bytes share one object: 3 contents + the manifest.
            assertThat(S3MockServer.keysUnder(prefix)).hasSize(4);
            String text = new String(readAll(store.open(manifest.sha256())), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).contains("\"path\":\"variables/variables.index\"").contains("\"format\":\"dev.modelregistry.directory/1\"");
        }

        @Test
        @DisplayName("refuses to restore into a non-empty folder, and refuses a manifest with a path escaping the target")
        void refusals() throws IOException {
            Path dir = Files.createDirectories(temp.resolve("m"));
            Files.write(dir.resolve("a.bin"), new byte[] {1});
            StoredArtifact manifest = store.putDirectory(dir);
            assertThatThrownBy(() -> store.getDirectory(manifest.sha256(), dir))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("not empty");

            byte[] evil = ("{\"files\":[{\"path\":\"../escape.bin\",\"sha256\":\"" + Sha256.digest(new byte[] {1}).hex()
                    + "\",\"size\":1}],\"format\":\"dev.modelregistry.directory/1\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            StoredArtifact evilManifest = store.put(new ByteArrayInputStream(evil));
            assertThatThrownBy(() -> store.getDirectory(evilManifest.sha256(), temp.resolve("out")))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining("../escape.bin");
            assertThat(temp.resolve("escape.bin")).doesNotExist();
            assertThat(temp.resolve("out")).doesNotExist();
        }

        @Test
        @DisplayName("a file whose stored bytes were changed fails the restore and leaves no target folder")
        void corruptedFile() throws IOException {
            Path dir = Files.createDirectories(temp.resolve("m"));
            byte[] bytes = GeneratedContent.bytes(100, 13);
            Files.write(dir.resolve("w.bin"), bytes);
            StoredArtifact manifest = store.putDirectory(dir);
            byte[] tampered = bytes.clone();
            tampered[0] ^= 1;
            S3MockServer.client().putObject(r -> r.bucket(BUCKET).key(keyOf(Sha256.digest(bytes))), RequestBody.fromBytes(tampered));

            assertThatThrownBy(() -> store.getDirectory(manifest.sha256(), temp.resolve("out"))).isInstanceOf(IntegrityException.class);
            assertThat(temp.resolve("out")).doesNotExist();
            try (var left = Files.list(temp)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("m");
            }
        }
    }
}
