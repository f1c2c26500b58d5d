package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryException;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageException;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.LogEntry;
import dev.modelregistry.fs.FileSystemArtifactStore;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.EventStore;
import dev.modelregistry.StoredArtifact;
import dev.modelregistry.testkit.ManualClock;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "The disk runs out of space" at every write step of a short history (register a version with two
 * artifacts, promote it to Staging and Production, register a second version and promote it,
 * displacing the first): the failure is injected at each 64 KiB step of each artifact write, and
 * at each append to the SQLite store, both before the append (nothing written) and after it (written,
 * but the caller is told it failed, as when the disk fills while the commit is acknowledged). After
 * each fault the registry is reopened without faults and must verify, hold every acknowledged write,
 * read exactly as the fault-free run did after the acknowledged prefix (or, for a write that failed
 * after it was committed, after that write too), answer its query tables as its log says, and have
 * nothing half-written under a digest.
 */
@DisplayName("a disk that runs out of space at any write step")
class DiskFullFaultTest {
    private static final Principal ADMIN = Principal.of("root", "admin");
    private static final String MODEL = "fraud-detector";
    private static final int STEP = 64 * 1024;
    private static final byte[] WEIGHTS_1 = TestBytes.random(1, 1024 * 1024);
    private static final byte[] TOKENIZER = TestBytes.random(2, 100 * 1024);
    private static final byte[] WEIGHTS_2 = TestBytes.random(3, 1024 * 1024);

    @TempDir
    Path tempDir;

    /** Where the Nth write step fails, and how. */
    private static final class Faults {
        final int failAt;
        final boolean afterAppend;
        int steps;
        boolean struck;
        boolean appendFailedAfterWriting;

        Faults(int failAt, boolean afterAppend) {
            this.failAt = failAt;
            this.afterAppend = afterAppend;
        }

        /** Counts a write step; true when this one fails. Artifact steps fail only before-the-write faults. */
        boolean strikes(boolean isAppend) {
            boolean strike = ++steps == failAt && (isAppend || !afterAppend);
            struck |= strike;
            return strike;
        }
    }

    private static List<Consumer<ModelRegistry>> history() {
        return List.of(
                r -> r.register(ADMIN, Registration.of(MODEL).version("1.0.0")
                        .artifact("model.bin", "application/octet-stream", WEIGHTS_1)
                        .artifact("tokenizer.json", "application/json", TOKENIZER).build()),
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.0.0"), Stage.STAGING, "smoke tests"),
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.0.0"), Stage.PRODUCTION, "release"),
                r -> r.register(ADMIN, Registration.of(MODEL).version("1.1.0")
                        .artifact("model.bin", "application/octet-stream", WEIGHTS_2).build()),
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), Stage.STAGING, "smoke tests"),
                r -> r.promote(ADMIN, MODEL, SemVer.parse("1.1.0"), Stage.PRODUCTION, "release"));
    }

    @Test
    @DisplayName("loses no acknowledged write and shows nothing half-written, whichever step fails")
    void everyWriteStep() throws Exception {
        List<String> expected = new ArrayList<>();
        Path clean = tempDir.resolve("clean");
        Faults none = new Faults(Integer.MAX_VALUE, false);
        try (ModelRegistry r = open(clean, none)) {
            expected.add(snapshot(clean));
            for (Consumer<ModelRegistry> op : history()) {
                op.accept(r);
                expected.add(snapshot(clean));
            }
        }
        int steps = none.steps;
        assertThat(steps).as("write steps in the history").isGreaterThan(30);

        int faults = 0;
        for (boolean afterAppend : new boolean[] {false, true}) {
            for (int n = 1; n <= steps; n++) {
                Path dir = tempDir.resolve("fault-" + n + (afterAppend ? "-after" : "-before"));
                Faults plan = new Faults(n, afterAppend);
                int acknowledged = 0;
                try (ModelRegistry r = open(dir, plan)) {
                    for (Consumer<ModelRegistry> op : history()) {
                        Throwable thrown = catchThrowable(() -> op.accept(r));
                        if (thrown != null) {
                            assertThat(thrown).as("fault at step %d", n).isInstanceOf(RegistryException.class);
                            break;
                        }
                        acknowledged++;
                    }
                }
                if (!plan.struck) {
                    continue; // an after-the-commit fault aimed at an artifact step: there is no commit there
                }
                faults++;
                String after = snapshot(dir);
                if (plan.appendFailedAfterWriting) {
                    assertThat(after).as("state after a fault at step %d that struck after the commit", n)
                            .isIn(expected.get(acknowledged), expected.get(acknowledged + 1));
                } else {
                    assertThat(after).as("state after a fault at step %d (%d calls acknowledged)", n, acknowledged)
                            .isEqualTo(expected.get(acknowledged));
                }
                assertNothingHalfWritten(dir);
            }
        }
        System.out.printf("DiskFullFaultTest: %d write steps, %d faults injected, nothing lost%n", steps, faults);
        assertThat(faults).isGreaterThan(steps);
    }

    private static ModelRegistry open(Path dir, Faults faults) throws IOException {
        Files.createDirectories(dir);
        SqliteEventStore events = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE));
        FileSystemArtifactStore files = FileSystemArtifactStore.open(dir.resolve(SqliteRegistry.ARTIFACTS_FOLDER));
        return ModelRegistry.builder().clock(ManualClock.startingAtEpochOf2024())
                .eventStore(new FailingEventStore(events, faults))
                .artifactStore(new FailingArtifactStore(files, faults))
                .build();
    }

    /**
     * What a registry opened afresh reads: every version with the SHA-256 of its artifacts as read
     * back in full (a missing or partial artifact throws here), stages, the log's events; and what the query tables answer before the model is folded, which must match the fold.
     */
    private static String snapshot(Path dir) throws IOException {
        try (ModelRegistry r = SqliteRegistry.open(dir)) {
            if (r.findModel(MODEL).isEmpty()) {
                return "empty; verify " + r.verify().intact();
            }
            String indexed = "latest " + r.findLatest(MODEL).map(ModelVersion::version).orElse(null)
                    + ", production " + r.findCurrent(MODEL, Stage.PRODUCTION).map(ModelVersion::version).orElse(null)
                    + ", versions " + r.search(MODEL, VersionQuery.all()).items().stream().map(ModelVersion::version).toList();
            StringBuilder out = new StringBuilder();
            List<LogEntry> log = r.log(MODEL);
            // Events by type, not hashes: a version's artifact URIs name the folder, which differs per run.
            out.append("log ").append(log.stream().map(e -> e.event().getClass().getSimpleName()).toList()).append('\n');
            for (ModelVersion v : r.search(MODEL, VersionQuery.all()).items()) {
                out.append(v.version()).append(' ').append(r.stageOf(MODEL, v.version()).name());
                for (var a : v.artifacts()) {
                    try (InputStream in = r.openArtifact(MODEL, v.version(), a.name())) {
                        out.append(' ').append(a.name()).append('=').append(Sha256.digest(in.readAllBytes()).hex(), 0, 12);
                    }
                }
                out.append('\n');
            }
            String folded = "latest " + r.findLatest(MODEL).map(ModelVersion::version).orElse(null)
                    + ", production " + r.findCurrent(MODEL, Stage.PRODUCTION).map(ModelVersion::version).orElse(null)
                    + ", versions " + r.search(MODEL, VersionQuery.all()).items().stream().map(ModelVersion::version).toList();
            assertThat(indexed).as("query tables against the folded log").isEqualTo(folded);
            assertThat(r.verify().intact()).as("verify").isTrue();
            return out.append(folded).toString();
        }
    }

    /** Every file stored under a digest holds exactly the bytes of that digest. */
    private static void assertNothingHalfWritten(Path dir) throws IOException {
        Path objects = dir.resolve(SqliteRegistry.ARTIFACTS_FOLDER);
        try (Stream<Path> files = Files.walk(objects)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
                assertThat(Sha256.digest(Files.readAllBytes(f)).hex()).as("content of %s", f).isEqualTo(f.getFileName().toString());
            }
        }
    }

    /** Fails an artifact write at one of its 64 KiB steps, as a full disk would, through the stream the store copies. */
    private static final class FailingArtifactStore implements ArtifactStore {
        private final ArtifactStore delegate;
        private final Faults faults;

        FailingArtifactStore(ArtifactStore delegate, Faults faults) {
            this.delegate = delegate;
            this.faults = faults;
        }

        @Override
        public StoredArtifact put(InputStream content) {
            return delegate.put(new FilterInputStream(content) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (faults.strikes(false)) {
                        throw new IOException("No space left on device");
                    }
                    return super.read(b, off, Math.min(len, STEP));
                }
            });
        }

        @Override
        public InputStream open(Sha256 digest) {
            return delegate.open(digest);
        }

        @Override
        public Optional<StoredArtifact> find(Sha256 digest) {
            return delegate.find(digest);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Fails an append before it reaches SQLite, or after SQLite committed it. */
    private static final class FailingEventStore implements EventStore {
        private final EventStore delegate;
        private final Faults faults;

        FailingEventStore(EventStore delegate, Faults faults) {
            this.delegate = delegate;
            this.faults = faults;
        }

        @Override
        public void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
            boolean strike = faults.strikes(true);
            if (strike && !faults.afterAppend) {
                throw new StorageException("[SQLITE_FULL] database or disk is full (injected before the append)", null);
            }
            delegate.append(model, expectedLastSequence, entries);
            if (strike) {
                faults.appendFailedAfterWriting = true;
                throw new StorageException("[SQLITE_FULL] database or disk is full (injected after the commit)", null);
            }
        }

        @Override
        public List<LogEntry> read(ModelName model, long fromSequence) {
            return delegate.read(model, fromSequence);
        }

        @Override
        public long lastSequence(ModelName model) {
            return delegate.lastSequence(model);
        }

        @Override
        public List<ModelName> models() {
            return delegate.models();
        }

        @Override
        public long changeToken() {
            return delegate.changeToken();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
