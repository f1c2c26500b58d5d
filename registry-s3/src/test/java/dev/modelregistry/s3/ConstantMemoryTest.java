package dev.modelregistry.s3;

import dev.modelregistry.spi.DigestVerifyingInputStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.Sha256;
import dev.modelregistry.StoredArtifact;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs only in the {@code constant-memory} Surefire execution, a test JVM capped at
 * {@code -Xmx256m} (see the module's pom), where S3Mock shares the heap: a 1 GiB artifact can only
 * pass through if neither direction holds it whole.
 */
@Tag("constant-memory")
@DisplayName("Artifacts stream in constant memory")
class ConstantMemoryTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    @DisplayName("a 1 GiB artifact uploads and downloads, verified, in a JVM with a 256 MiB heap")
    void oneGibibyte() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).as("heap cap of this test JVM").isLessThanOrEqualTo(256L * 1024 * 1024);
        Sha256 expected = GeneratedContent.digestOf(GIB, 42);
        String prefix = S3MockServer.uniquePrefix("gib");
        try (S3ArtifactStore store = S3Registry.artifactStore(S3Config.builder(S3MockServer.BUCKET).prefix(prefix)
                .client(S3MockServer.client()).build())) {
            StoredArtifact stored = store.put(new DigestVerifyingInputStream(new GeneratedContent(GIB, 42), expected, -1, "Artifact"));
            assertThat(stored.size()).isEqualTo(GIB);
            assertThat(stored.sha256()).isEqualTo(expected);

            MessageDigest md = Sha256.newDigest();
            long total = 0;
            byte[] buf = new byte[1 << 16];
            try (InputStream in = store.open(expected)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                    total += n;
                }
            }
            assertThat(total).isEqualTo(GIB);
            assertThat(Sha256.of(md.digest())).isEqualTo(expected);
            assertThat(S3MockServer.keysUnder(prefix)).hasSize(1);
            S3MockServer.client().deleteObject(r -> r.bucket(S3MockServer.BUCKET).key(S3MockServer.keysUnder(prefix).get(0)));
        }
    }
}
