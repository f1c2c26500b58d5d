package dev.modelregistry.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.modelregistry.ArtifactStore;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import dev.modelregistry.StorageException;
import dev.modelregistry.StoredArtifact;
import dev.modelregistry.spi.DigestVerifyingInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ArtifactStore}, written once for every backend: content is stored under its
 * SHA-256, write-once, read back as stored; content whose stream fails (an {@link IOException} half
 * way, or the core's {@link IntegrityException} at its end) stores nothing and leaves nothing behind.
 * A backend's test opens its store and, through hooks, shows what the suite cannot see through the
 * SPI: where it writes differently by size, what it holds, and how to change a stored byte.
 *
 * <pre>{@code
 * class FileSystemArtifactStoreContractTest extends ArtifactStoreContractTests {
 *     protected ArtifactStore openStore(Path dir) { return FileSystemArtifactStore.open(dir); }
 *     protected boolean supportsSecondInstance() { return true; }
 *     protected List<Integer> thresholdSizes() { return List.of(200_000); }
 *     ...
 * }
 * }</pre>
 */
public abstract class ArtifactStoreContractTests extends StoreFixture<ArtifactStore> {
    /** A size below every backend's buffer, and not a multiple of any block size. */
    protected static final int FEW_KILOBYTES = 4 * 1024 + 7;

    /**
     * Content sizes at which the backend writes differently: above an internal buffer, a spool or a
     * multipart threshold. The suite stores, re-stores and fails content of each size, so keep them
     * as small as the backend's settings allow.
     */
    protected List<Integer> thresholdSizes() {
        return List.of();
    }

    /**
     * Every piece of content the backend holds under a digest (file names, object keys), where the
     * test can list them; empty where it cannot.
     */
    protected Optional<List<String>> storedContent() throws Exception {
        return Optional.empty();
    }

    /**
     * What the backend holds that no reader may take for content: temporary files and objects,
     * spool files, open multipart uploads. Empty where the test cannot see any.
     */
    protected List<String> leftovers() throws Exception {
        return List.of();
    }

    /**
     * Flips one byte of the content stored under {@code digest} behind the store's back, keeping its
     * size; false where the backend gives a test no way to.
     */
    protected boolean corrupt(Sha256 digest) throws Exception {
        return false;
    }

    /** Reproducible content: the same size and seed give the same bytes. */
    protected static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private List<Integer> sizesFrom(int... small) {
        List<Integer> sizes = new ArrayList<>();
        for (int s : small) {
            sizes.add(s);
        }
        sizes.addAll(thresholdSizes());
        return sizes;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** Stores {@code bytes} and checks every way of reading them back, from this store and from a second instance. */
    private StoredArtifact assertRoundTrip(byte[] bytes) throws Exception {
        Sha256 digest = Sha256.digest(bytes);
        StoredArtifact stored = store.put(new ByteArrayInputStream(bytes));

        assertThat(stored.sha256()).isEqualTo(digest);
        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(store.find(digest)).contains(stored);
        assertThat(readAll(store.open(digest))).isEqualTo(bytes);
        assertThat(readAll(new DigestVerifyingInputStream(store.open(digest), digest, bytes.length, "Artifact"))).isEqualTo(bytes);
        if (supportsSecondInstance()) {
            ArtifactStore other = open();
            assertThat(other.find(digest)).contains(stored);
            assertThat(readAll(other.open(digest))).isEqualTo(bytes);
        }
        return stored;
    }

    /** Stores {@code bytes}, then changes one stored byte; the test is skipped where the backend does not allow it. */
    private StoredArtifact storedThenChanged(byte[] bytes) throws Exception {
        StoredArtifact stored = store.put(new ByteArrayInputStream(bytes));
        assumeThat(corrupt(stored.sha256())).as("the backend lets a test change a stored byte").isTrue();
        return stored;
    }

    /** The backend holds {@code count} pieces of content, where the test can see them, and no leftovers. */
    private void assertHolds(int count) throws Exception {
        storedContent().ifPresent(content -> assertThat(content).as("stored content").hasSize(count));
        assertThat(leftovers()).as("leftovers").isEmpty();
    }

    @Nested
    @DisplayName("storing and reading")
    class RoundTrips {

        @Test
        @DisplayName("stores empty content under the SHA-256 of nothing")
        void empty() throws Exception {
            assertRoundTrip(new byte[0]);
            assertHolds(1);
        }

        @Test
        @DisplayName("stores a single byte")
        void oneByte() throws Exception {
            assertRoundTrip(new byte[] {42});
            assertHolds(1);
        }

        @Test
        @DisplayName("stores a few kilobytes")
        void fewKilobytes() throws Exception {
            assertRoundTrip(content(FEW_KILOBYTES, 1));
            assertHolds(1);
        }

        @Test
        @DisplayName("stores content of every size at which the backend writes differently")
        void thresholds() throws Exception {
            assumeThat(thresholdSizes()).as("the backend names sizes where it writes differently").isNotEmpty();
            int stored = 0;
            for (int size : thresholdSizes()) {
                assertRoundTrip(content(size, size));
                assertHolds(++stored);
            }
        }

        @Test
        @DisplayName("reads content to its end when it arrives in short reads")
        void shortReads() throws Exception {
            for (int size : sizesFrom(FEW_KILOBYTES)) {
                byte[] bytes = content(size, 7);
                StoredArtifact stored = store.put(new ShortReads(new ByteArrayInputStream(bytes)));
                assertThat(stored.sha256()).as("digest of %d bytes", size).isEqualTo(Sha256.digest(bytes));
                assertThat(stored.size()).isEqualTo(size);
                assertThat(readAll(store.open(stored.sha256()))).isEqualTo(bytes);
            }
        }

        @Test
        @DisplayName("finds nothing and refuses to open content never stored, naming its digest")
        void missing() {
            Sha256 absent = Sha256.digest(new byte[] {1, 2, 3});
            assertThat(store.find(absent)).isEmpty();
            assertThatThrownBy(() -> store.open(absent)).isInstanceOf(NotFoundException.class).hasMessageContaining(absent.hex());
        }
    }

    @Nested
    @DisplayName("writing once")
    class WriteOnce {

        @Test
        @DisplayName("storing the same bytes again returns the same stored artifact and keeps one copy")
        void sameBytesTwice() throws Exception {
            int stored = 0;
            for (int size : sizesFrom(0, FEW_KILOBYTES)) {
                byte[] bytes = content(size, 3);
                StoredArtifact first = store.put(new ByteArrayInputStream(bytes));
                StoredArtifact second = store.put(new ByteArrayInputStream(bytes));
                assertThat(second).as("%d bytes stored again", size).isEqualTo(first);
                assertThat(readAll(store.open(first.sha256()))).isEqualTo(bytes);
                assertHolds(++stored);
            }
        }

        @Test
        @DisplayName("storing present content again does not rewrite the stored copy")
        void noRewrite() throws Exception {
            byte[] bytes = content(FEW_KILOBYTES, 4);
            StoredArtifact first = storedThenChanged(bytes);
            byte[] changed = readAll(store.open(first.sha256()));

            assertThat(store.put(new ByteArrayInputStream(bytes))).isEqualTo(first);
            assertThat(readAll(store.open(first.sha256()))).as("the stored copy after a second put").isEqualTo(changed);
            assertHolds(1);
        }

        @Test
        @DisplayName("puts of the same content racing on real threads all succeed and keep one copy")
        void racingPuts() throws Exception {
            List<Integer> sizes = new ArrayList<>(List.of(FEW_KILOBYTES));
            thresholdSizes().stream().min(Integer::compare).ifPresent(sizes::add);
            int threads = raceThreads();
            int stored = 0;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int size : sizes) {
                    byte[] bytes = content(size, 5);
                    List<Callable<StoredArtifact>> puts = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        ArtifactStore s = storeForAThread();
                        puts.add(() -> s.put(new ByteArrayInputStream(bytes)));
                    }
                    List<StoredArtifact> results = race(pool, puts);
                    assertThat(results).as("%d bytes", size).containsOnly(results.get(0));
                    assertThat(results.get(0).sha256()).isEqualTo(Sha256.digest(bytes));
                    assertThat(readAll(store.open(results.get(0).sha256()))).isEqualTo(bytes);
                    assertHolds(++stored);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("content that fails while it is read")
    class FailingContent {

        @Test
        @DisplayName("an IOException half way or at the last byte stores nothing and leaves nothing behind")
        void ioException() throws Exception {
            for (int size : sizesFrom(FEW_KILOBYTES)) {
                byte[] bytes = content(size, 6);
                for (int failAt : new int[] {size / 2, size - 1}) {
                    assertThatThrownBy(() -> store.put(new FailingAt(new ByteArrayInputStream(bytes), failAt)))
                            .as("%d bytes failing at %d", size, failAt)
                            .isInstanceOf(StorageException.class).hasMessageContaining("disk gone");
                    assertThat(store.find(Sha256.digest(bytes))).isEmpty();
                    assertHolds(0);
                }
            }
            assertStillUsable();
        }

        @Test
        @DisplayName("content that fails the caller's digest check at its end stores nothing, under either digest, and leaves nothing behind")
        void integrityExceptionAtTheEnd() throws Exception {
            for (int size : sizesFrom(0, FEW_KILOBYTES)) {
                byte[] bytes = content(size, 8);
                Sha256 wrong = Sha256.digest(("not " + size).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertThatThrownBy(() -> store.put(new DigestVerifyingInputStream(new ByteArrayInputStream(bytes), wrong, -1, "Artifact")))
                        .as("%d bytes", size).isInstanceOf(IntegrityException.class).hasMessageContaining(wrong.hex());
                assertThat(store.find(Sha256.digest(bytes))).isEmpty();
                assertThat(store.find(wrong)).isEmpty();
                assertHolds(0);
            }
            assertStillUsable();
        }

        /** After failed puts, the same content stores as usual. */
        private void assertStillUsable() throws Exception {
            assertRoundTrip(content(FEW_KILOBYTES, 6));
            assertHolds(1);
        }
    }

    @Nested
    @DisplayName("reading as stored")
    class AsStored {

        @Test
        @DisplayName("returns changed bytes as they are, so a reader that checks the digest fails with IntegrityException")
        void changedBytes() throws Exception {
            byte[] bytes = content(FEW_KILOBYTES, 9);
            StoredArtifact stored = storedThenChanged(bytes);

            byte[] raw = readAll(store.open(stored.sha256()));
            assertThat(raw).hasSameSizeAs(bytes).isNotEqualTo(bytes);
            int differing = 0;
            for (int i = 0; i < bytes.length; i++) {
                differing += raw[i] != bytes[i] ? 1 : 0;
            }
            assertThat(differing).as("bytes changed").isEqualTo(1);
            assertThatThrownBy(() -> readAll(new DigestVerifyingInputStream(store.open(stored.sha256()), stored.sha256(), bytes.length, "Artifact")))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining(stored.sha256().hex());
        }
    }

    /** Hands out at most a few hundred bytes per read, as a network stream may. */
    private static final class ShortReads extends java.io.FilterInputStream {
        private int calls;

        ShortReads(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1 + (calls++ * 37) % 500));
        }
    }

    /** Serves its content until {@code failAt} bytes were read, then throws "disk gone". */
    private static final class FailingAt extends java.io.FilterInputStream {
        private final long failAt;
        private long served;

        FailingAt(InputStream in, long failAt) {
            super(in);
            this.failAt = failAt;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (served >= failAt) {
                throw new IOException("disk gone after " + served + " bytes");
            }
            int n = super.read(b, off, (int) Math.min(len, failAt - served));
            served += Math.max(0, n);
            return n;
        }
    }
}
