package dev.modelregistry.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.ArtifactRef;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.Sha256;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("the local artifact cache")
class LocalArtifactCacheTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand, so recency order does not depend on file-time resolution. */
    static final class ManualClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-05-01T10:00:00Z"));

        void advance() {
            now.updateAndGet(t -> t.plusSeconds(60));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    static ArtifactRef ref(byte[] bytes) {
        return new ArtifactRef("model.bin", URI.create("mem:x"), Sha256.digest(bytes), bytes.length, null);
    }

    static byte[] bytes(String text, int size) {
        byte[] b = new byte[size];
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < size; i++) {
            b[i] = t[i % t.length];
        }
        return b;
    }

    static Supplier<InputStream> source(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    @Test
    @DisplayName("keeps a fetched artifact under <dir>/sha256/<first two hex>/<hex> with its exact bytes")
    void contentAddressed() throws Exception {
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 1 << 20);
        byte[] content = bytes("weights", 1000);
        ArtifactRef ref = ref(content);

        try (CachedArtifact held = cache.fetch(ref, source(content))) {
            String hex = ref.sha256().hex();
            assertThat(held.path()).isEqualTo(dir.toRealPath().resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex));
            assertThat(Files.readAllBytes(held.path())).isEqualTo(content);
            assertThat(held.size()).isEqualTo(1000);
            assertThat(cache.isHeld(ref.sha256())).isTrue();
        }
        assertThat(cache.isHeld(ref.sha256())).isFalse();
        assertThat(cache.size()).isEqualTo(1000);
    }

    @Test
    @DisplayName("reads the source only when the artifact is not cached yet")
    void readsSourceOnce() {
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 1 << 20);
        byte[] content = bytes("weights", 100);
        AtomicInteger opened = new AtomicInteger();
        Supplier<InputStream> counting = () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(content);
        };
        cache.fetch(ref(content), counting).close();
        cache.fetch(ref(content), counting).close();
        assertThat(opened).hasValue(1);
    }

    @Test
    @DisplayName("refuses bytes that do not match the digest: no file under the digest, no partial file left")
    void refusesWrongBytes() throws Exception {
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 1 << 20);
        byte[] content = bytes("weights", 100);
        byte[] tampered = content.clone();
        tampered[50] ^= 1;
        ArtifactRef ref = ref(content);

        assertThatThrownBy(() -> cache.fetch(ref, source(tampered)))
                .isInstanceOf(IntegrityException.class).hasMessageContaining(ref.sha256().hex());

        assertThat(cache.contains(ref.sha256())).isFalse();
        assertThat(cache.isHeld(ref.sha256())).isFalse();
        try (var partials = Files.list(cache.directory().resolve("tmp"))) {
            assertThat(partials).isEmpty();
        }
    }

    @Test
    @DisplayName("downloads again an artifact that was corrupted on disk after it was cached")
    void repairsCorruptionAtRest() throws Exception {
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 1 << 20);
        byte[] content = bytes("weights", 100);
        ArtifactRef ref = ref(content);
        Path path;
        try (CachedArtifact held = cache.fetch(ref, source(content))) {
            path = held.path();
        }
        byte[] corrupted = content.clone();
        corrupted[0] ^= 1;
        Files.write(path, corrupted);

        try (CachedArtifact held = cache.fetch(ref, source(content))) {
            assertThat(Files.readAllBytes(held.path())).isEqualTo(content);
        }
    }

    @Test
    @DisplayName("evicts the least recently used artifacts nothing holds until the rest fit the bound")
    void evictsLeastRecentlyUsed() {
        ManualClock clock = new ManualClock();
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 250, clock);
        byte[] a = bytes("a", 100);
        byte[] b = bytes("b", 100);
        byte[] c = bytes("c", 100);
        cache.fetch(ref(a), source(a)).close();
        clock.advance();
        cache.fetch(ref(b), source(b)).close();
        clock.advance();
        cache.fetch(ref(a), source(a)).close();
        clock.advance();

        cache.fetch(ref(c), source(c)).close();

        assertThat(cache.contains(ref(a).sha256())).as("a, used recently").isTrue();
        assertThat(cache.contains(ref(b).sha256())).as("b, least recently used").isFalse();
        assertThat(cache.contains(ref(c).sha256())).as("c, just fetched").isTrue();
        assertThat(cache.size()).isEqualTo(200);
    }

    @Test
    @DisplayName("never evicts an artifact held in this process, even by another cache instance on the same folder")
    void heldArtifactsAreProtected() {
        ManualClock clock = new ManualClock();
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 0, clock);
        LocalArtifactCache other = LocalArtifactCache.open(dir, 0, clock);
        byte[] a = bytes("a", 100);
        byte[] b = bytes("b", 100);
        try (CachedArtifact heldA = cache.fetch(ref(a), source(a))) {
            clock.advance();
            try (CachedArtifact heldB = other.fetch(ref(b), source(b))) {
                assertThat(cache.evict()).isZero();
                assertThat(other.evict()).isZero();
                assertThat(cache.contains(ref(a).sha256())).isTrue();
                assertThat(cache.contains(ref(b).sha256())).isTrue();
            }
            assertThat(cache.evict()).isEqualTo(1);
            assertThat(cache.contains(ref(a).sha256())).isTrue();
            assertThat(cache.contains(ref(b).sha256())).isFalse();
        }
        assertThat(other.evict()).isEqualTo(1);
        assertThat(cache.size()).isZero();
    }

    @Test
    @DisplayName("never evicts an artifact another process holds")
    void heldByAnotherProcess() throws Exception {
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 0);
        byte[] a = bytes("a", 100);
        cache.fetch(ref(a), source(a)).close();
        assertThat(cache.evict()).isEqualTo(1);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ServingCacheHolderChild.class.getName(), dir.toString(), new String(a, StandardCharsets.ISO_8859_1))
                .redirectError(dir.resolve("child-stderr.txt").toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("HOLDING " + ref(a).sha256().hex());
            assertThat(cache.evict()).isZero();
            assertThat(cache.contains(ref(a).sha256())).isTrue();

            child.getOutputStream().close();
            assertThat(out.readLine()).isEqualTo("RELEASED");
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(cache.evict()).isEqualTo(1);
        assertThat(cache.contains(ref(a).sha256())).isFalse();
    }

    @Test
    @DisplayName("concurrent writers of one artifact, through separate cache instances, all get the complete verified file")
    void concurrentWriters() throws Exception {
        byte[] content = bytes("large weights", 256 * 1024);
        ArtifactRef ref = ref(content);
        int writers = 8;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                LocalArtifactCache cache = LocalArtifactCache.open(dir, 1 << 20);
                Callable<byte[]> fetch = () -> {
                    start.await();
                    // Slow, chunked reads so that writers overlap.
                    Supplier<InputStream> slow = () -> new FilterInputStream(new ByteArrayInputStream(content)) {
                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            Thread.yield();
                            return super.read(b, off, Math.min(len, 4096));
                        }
                    };
                    try (CachedArtifact held = cache.fetch(ref, slow)) {
                        return Files.readAllBytes(held.path());
                    }
                };
                results.add(pool.submit(fetch));
            }
            for (Future<byte[]> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(content);
            }
        } finally {
            pool.shutdownNow();
        }
        LocalArtifactCache cache = LocalArtifactCache.open(dir, 1 << 20);
        assertThat(cache.size()).isEqualTo(content.length);
        try (var partials = Files.list(cache.directory().resolve("tmp"))) {
            assertThat(partials).isEmpty();
        }
    }

    @Test
    @DisplayName("refuses a negative bound, naming it")
    void negativeBound() {
        assertThatThrownBy(() -> LocalArtifactCache.open(dir, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
