package dev.modelregistry.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.spi.DigestVerifyingInputStream;
import dev.modelregistry.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the local-filesystem artifact store")
class FileSystemArtifactStoreTest {
    @TempDir
    Path root;

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    @DisplayName("stores content under its SHA-256 and streams it back verified")
    void roundTrip() throws IOException {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        byte[] content = bytes(1_000_000, 1);
        StoredArtifact stored = store.put(new ByteArrayInputStream(content));
        assertThat(stored.sha256()).isEqualTo(Sha256.digest(content));
        assertThat(stored.size()).isEqualTo(content.length);
        assertThat(Path.of(stored.uri())).isEqualTo(store.pathOf(stored.sha256()));
        try (InputStream in = store.open(stored.sha256())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(store.find(stored.sha256())).contains(stored);
        assertThat(FileSystemArtifactStore.open(root).find(stored.sha256())).isPresent();
    }

    @Test
    @DisplayName("writes content once: storing it again changes nothing")
    void writeOnce() throws IOException {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        byte[] content = bytes(1000, 2);
        StoredArtifact first = store.put(new ByteArrayInputStream(content));
        long modified = Files.getLastModifiedTime(store.pathOf(first.sha256())).toMillis();
        StoredArtifact second = store.put(new ByteArrayInputStream(content));
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(store.pathOf(first.sha256())).toMillis()).isEqualTo(modified);
        assertThat(files()).hasSize(1);
    }

    @Test
    @DisplayName("stores nothing when the content fails the core's digest check at its end")
    void expectedDigestMismatch() throws IOException {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        Sha256 expected = Sha256.digest(new byte[] {9});
        assertThatThrownBy(() -> store.put(new DigestVerifyingInputStream(new ByteArrayInputStream(bytes(100, 3)), expected, -1, "Artifact")))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(expected.hex());
        assertThat(files()).isEmpty();
    }

    @Test
    @DisplayName("leaves no file behind when the source fails half way")
    void failingSource() throws IOException {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        InputStream failing = new InputStream() {
            int served;

            @Override
            public int read() throws IOException {
                if (served++ > 100_000) {
                    throw new IOException("disk unplugged");
                }
                return 7;
            }
        };
        assertThatThrownBy(() -> store.put(failing)).isInstanceOf(StorageException.class)
                .hasMessageContaining("disk unplugged");
        assertThat(files()).isEmpty();
    }

    @Test
    @DisplayName("returns content as stored, so a reader that checks the digest detects corruption at rest")
    void corruptionAtRest() throws IOException {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        byte[] content = bytes(10_000, 4);
        StoredArtifact stored = store.put(new ByteArrayInputStream(content));
        byte[] corrupted = content.clone();
        corrupted[5000] ^= 1;
        Files.write(store.pathOf(stored.sha256()), corrupted);
        assertThatThrownBy(() -> {
            try (InputStream in = new DigestVerifyingInputStream(store.open(stored.sha256()), stored.sha256(), -1, "Artifact")) {
                in.readAllBytes();
            }
        }).isInstanceOf(IntegrityException.class).hasMessageContaining(stored.sha256().hex());
    }

    @Test
    @DisplayName("reports missing content as NotFoundException")
    void missing() {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        Sha256 absent = Sha256.digest(new byte[] {1});
        assertThatThrownBy(() -> store.open(absent)).isInstanceOf(NotFoundException.class).hasMessageContaining(absent.hex());
        assertThat(store.find(absent)).isEmpty();
    }

    @Test
    @DisplayName("lets many threads store the same and different content at once")
    void concurrentWriters() throws Exception {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<StoredArtifact>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            long seed = i % 4;
            futures.add(pool.submit(() -> {
                start.await();
                return store.put(new ByteArrayInputStream(bytes(200_000, seed)));
            }));
        }
        start.countDown();
        for (Future<StoredArtifact> f : futures) {
            StoredArtifact s = f.get();
            try (InputStream in = store.open(s.sha256())) {
                assertThat(Sha256.digest(in.readAllBytes())).isEqualTo(s.sha256());
            }
        }
        pool.shutdown();
        assertThat(files()).hasSize(4);
    }

    /** Every regular file in the store (content and temporaries). */
    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
