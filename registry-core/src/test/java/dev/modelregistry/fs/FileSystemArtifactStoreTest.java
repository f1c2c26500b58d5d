package dev.modelregistry.fs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.Sha256;
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

/**
 * What only the folder shows: where content lives, and writers of mixed content at once. Round trips,
 * write-once, failing content and corruption are the artifact store contract's, which
 * registry-testkit runs on this store ({@code FileSystemArtifactStoreContractTest}).
 */
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
    @DisplayName("keeps content at sha256/ab/abcdef… under its root, which is what its URI names")
    void layout() throws IOException {
        FileSystemArtifactStore store = FileSystemArtifactStore.open(root);
        byte[] content = bytes(1_000, 1);
        StoredArtifact stored = store.put(new ByteArrayInputStream(content));
        String hex = Sha256.digest(content).hex();

        assertThat(store.pathOf(stored.sha256())).isEqualTo(root.toAbsolutePath().resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex));
        assertThat(Path.of(stored.uri())).isEqualTo(store.pathOf(stored.sha256()));
        assertThat(Files.readAllBytes(store.pathOf(stored.sha256()))).isEqualTo(content);
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
