package dev.modelregistry.s3;

import static dev.modelregistry.s3.S3MockServer.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageException;
import dev.modelregistry.StorageStateUnknownException;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.s3.FaultInjectingHttpClient.Kind;
import dev.modelregistry.s3.FaultInjectingHttpClient.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The fault matrix: every write path of the S3 backend, every request it makes, broken in every way
 * a network or S3 can break it — once (the SDK's retries or the store's re-sends must absorb it), and
 * on every re-send (the failure must surface as the right exception). The faults sit on the wire
 * under the SDK ({@link FaultInjectingHttpClient}), so the retry strategy, backoff and timeouts of
 * the client an {@link S3Config} builds act on them as in production.
 *
 * <p>Each path is first run without faults to record its requests; then each request is broken in
 * turn. After every case, with the faults healed and through a fresh registry: the outcome is the
 * one the store promises (below), the registry verifies, the write is visible whole or not at all,
 * every object under a digest holds exactly those bytes, no multipart upload is left open and no
 * temporary object is left behind; a write that failed succeeds when repeated.
 *
 * <p>Promised outcomes when every re-send of a request fails: a request that certainly never took
 * effect (connection refused, throttled) is a {@link StorageException}; one that took effect but
 * whose answer was lost (reset, hung until the timeout) is settled by reading back and succeeds; one
 * that was sent, not performed and never answered is {@link StorageStateUnknownException} for a
 * create-only log write (a request still in flight could land) and a {@link StorageException} for
 * artifacts (content addressing makes them idempotent). Requests after the commit point (snapshots,
 * clean-up) never fail the write.
 */
@DisplayName("Faults on every S3 write path")
class S3FaultMatrixTest {
    private static final int PART = S3Config.MIN_PART_SIZE;
    private static final Principal ALICE = Principal.of("alice");
    private static final String M = "fraud";
    private static final Map<String, AtomicInteger> CASES = new ConcurrentHashMap<>();
    private static final Map<Kind, AtomicInteger> KINDS = new ConcurrentHashMap<>();

    /**
     * {@code -Ds3.faults.full=true} runs the whole matrix. By default, to keep the suite quick: every
     * write and the first read of each kind; on the two 5 MiB artifact paths only the requests that
     * store the artifact, and refusals only on every re-send.
     */
    static final String FULL = "s3.faults.full";

    @TempDir
    static Path temp;

    enum Outcome { APPLIED, STORAGE_EXCEPTION, STATE_UNKNOWN }

    /** A write path: how to prepare the bucket, the write itself, and whether the write is visible. */
    enum WritePath {
        ARTIFACT_SMALL {
            @Override
            void write(Env env) {
                env.registry().register(ALICE, Registration.of(M).version("1.1.0").artifact("model.bin", null, SMALL).build());
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                return fresh.findVersion(M, SemVer.parse("1.1.0")).map(v -> {
                    assertThat(readAll(fresh.openArtifact(M, v.version(), "model.bin"))).isEqualTo(SMALL);
                    return true;
                }).orElse(false);
            }
        },
        ARTIFACT_SPOOLED {
            @Override
            void write(Env env) {
                env.registry().register(ALICE, Registration.of(M).version("1.1.0")
                        .artifact("weights.bin", null, new GeneratedContent(LARGE_SIZE, 7), null).build());
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                return ARTIFACT_MULTIPART.applied(fresh, prefix);
            }
        },
        ARTIFACT_MULTIPART {
            @Override
            void write(Env env) {
                env.registry().register(ALICE, Registration.of(M).version("1.1.0")
                        .artifact("weights.bin", null, new GeneratedContent(LARGE_SIZE, 7), null).build());
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                return fresh.findVersion(M, SemVer.parse("1.1.0")).map(v -> {
                    assertThat(v.artifacts().get(0).sha256()).isEqualTo(LARGE_DIGEST);
                    assertThat(Sha256.digest(readAll(fresh.openArtifact(M, v.version(), "weights.bin")))).isEqualTo(LARGE_DIGEST);
                    return true;
                }).orElse(false);
            }
        },
        DIRECTORY {
            @Override
            void prepare(Env env) {
            }

            @Override
            void write(Env env) {
                env.manifest = env.store().putDirectory(savedModel()).sha256();
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                Sha256 manifest = Sha256.digest(DirectoryManifest.encode(directoryEntries()));
                try (S3ArtifactStore store = S3Registry.artifactStore(S3Config.builder(BUCKET).prefix(prefix)
                        .client(S3MockServer.client()).build())) {
                    return store.find(manifest).map(found -> {
                        Path restored = temp.resolve("restored-" + java.util.UUID.randomUUID());
                        store.getDirectory(manifest, restored);
                        assertThat(restored.resolve("variables/variables.data")).hasBinaryContent(GeneratedContent.bytes(2000, 12));
                        return true;
                    }).orElse(false);
                }
            }
        },
        EVENT_APPEND {
            @Override
            void write(Env env) {
                env.registry().register(ALICE, Registration.of(M).version("1.1.0").metric("auc", 0.9).build());
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                return fresh.findVersion(M, SemVer.parse("1.1.0")).isPresent();
            }
        },
        SNAPSHOT {
            @Override
            void prepare(Env env) {
                super.prepare(env);
                env.registry().register(ALICE, Registration.of(M).version("1.0.1").build());
            }

            @Override
            void write(Env env) {
                // The log holds 1..3 after preparing; this append is entry 4, a multiple of snapshotEvery.
                env.registry().register(ALICE, Registration.of(M).version("1.1.0").build());
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                return fresh.findVersion(M, SemVer.parse("1.1.0")).isPresent();
            }
        },
        POLICY_CHANGE {
            @Override
            void write(Env env) {
                env.registry().setGatePolicy(ALICE, POLICY, "four eyes for Production");
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                return fresh.gatePolicy().equals(POLICY);
            }
        },
        PROMOTION {
            @Override
            void prepare(Env env) {
                super.prepare(env);
                ModelRegistry r = env.registry();
                r.register(ALICE, Registration.of(M).version("1.1.0").build());
                r.promote(ALICE, M, SemVer.parse("1.0.0"), Stage.STAGING, "");
                r.promote(ALICE, M, SemVer.parse("1.0.0"), Stage.PRODUCTION, "");
                r.promote(ALICE, M, SemVer.parse("1.1.0"), Stage.STAGING, "");
            }

            @Override
            void write(Env env) {
                env.registry().promote(ALICE, M, SemVer.parse("1.1.0"), Stage.PRODUCTION, "displaces 1.0.0");
            }

            @Override
            boolean applied(ModelRegistry fresh, String prefix) {
                SemVer current = fresh.getCurrent(M, Stage.PRODUCTION).version();
                assertThat(fresh.versionsIn(M, Stage.PRODUCTION)).hasSize(1);
                return current.equals(SemVer.parse("1.1.0"));
            }
        };

        static final byte[] SMALL = GeneratedContent.bytes(1000, 3);
        static final long LARGE_SIZE = PART + 100;
        static final Sha256 LARGE_DIGEST = GeneratedContent.digestOf(LARGE_SIZE, 7);
        static final GatePolicy POLICY = GatePolicy.fromJson("{\"version\":1,\"transitions\":{\"STAGING->PRODUCTION\":"
                + "[{\"type\":\"manual-approval\",\"approvals\":1,\"role\":\"approver\",\"distinctFromAuthor\":true}]}}");

        /** Brings the bucket to where the write starts; no faults are armed yet. */
        void prepare(Env env) {
            env.registry().register(ALICE, Registration.of(M).version("1.0.0").build());
        }

        abstract void write(Env env);

        /** Whether the write is visible, checked whole: a partly visible write fails an assertion here. */
        abstract boolean applied(ModelRegistry fresh, String prefix);
    }

    /** One case's bucket prefix, wire and stores, built from an {@link S3Config} as production code would. */
    static final class Env implements AutoCloseable {
        final String prefix;
        final FaultInjectingHttpClient wire;
        private final S3Config config;
        private ModelRegistry registry;
        private S3ArtifactStore store;
        Sha256 manifest;

        Env(String prefix, Kind kind, WritePath path) {
            this.prefix = prefix;
            this.wire = new FaultInjectingHttpClient(ApacheHttpClient.builder().build());
            // A hung answer must end by the attempt timeout; it is short where the faults hang, and
            // long enough elsewhere that a loaded machine never times out a healthy 5 MiB part.
            boolean hangs = kind == Kind.SLOW_RESPONSE;
            boolean big = path == WritePath.ARTIFACT_MULTIPART || path == WritePath.ARTIFACT_SPOOLED;
            Duration attempt = hangs ? Duration.ofMillis(big ? 2500 : 600) : Duration.ofSeconds(30);
            Duration call = hangs ? Duration.ofMillis(big ? 5500 : 1500) : Duration.ofSeconds(90);
            S3Config.Builder b = S3Config.builder(BUCKET).prefix(prefix);
            if (path == WritePath.ARTIFACT_MULTIPART) {
                b.singlePutLimit(0); // the streaming path: multipart to a temporary key, then a copy
            }
            this.config = b
                    .endpoint(S3MockServer.endpoint()).pathStyleAccess(true)
                    .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(wire)
                    .maxAttempts(3)
                    .apiCallAttemptTimeout(attempt).apiCallTimeout(call)
                    // The SDK's retry decisions, with backoffs short enough for hundreds of cases.
                    .backoff(BackoffStrategy.exponentialDelay(Duration.ofMillis(5), Duration.ofMillis(20)),
                            BackoffStrategy.exponentialDelay(Duration.ofMillis(10), Duration.ofMillis(40)))
                    .partSize(PART)
                    .snapshotEvery(4)
                    .changeCheckInterval(Duration.ZERO)
                    .build();
        }

        ModelRegistry registry() {
            if (registry == null) {
                registry = S3Registry.builder(config).build();
            }
            return registry;
        }

        S3ArtifactStore store() {
            if (store == null) {
                store = S3Registry.artifactStore(config);
            }
            return store;
        }

        @Override
        public void close() {
            wire.heal();
            if (registry != null) {
                registry.close();
            }
            if (store != null) {
                store.close();
            }
            wire.close();
        }
    }

    @TestFactory
    @DisplayName("each request of each write path, broken each way, once and on every re-send")
    Stream<DynamicNode> matrix() {
        List<DynamicNode> paths = new ArrayList<>();
        boolean full = Boolean.getBoolean(FULL);
        for (WritePath path : WritePath.values()) {
            List<Request> steps = record(path);
            int commit = commitPoint(path, steps);
            List<DynamicNode> cases = new ArrayList<>();
            java.util.Set<String> readsSeen = new java.util.HashSet<>();
            boolean bigArtifact = path == WritePath.ARTIFACT_MULTIPART || path == WritePath.ARTIFACT_SPOOLED;
            for (Request step : steps) {
                if (!full && !step.isWrite() && !readsSeen.add(step.operation())) {
                    continue; // every write, and the first read of each kind, unless the full matrix is asked for
                }
                if (!full && bigArtifact && !step.path().contains("/artifacts/") && !step.operation().equals("ListMultipartUploads")) {
                    continue; // the log append after the artifact is the same as EVENT_APPEND's
                }
                for (Kind kind : Kind.values()) {
                    if (kind.writesOnly && !step.isWrite()) {
                        continue;
                    }
                    for (boolean every : new boolean[] {false, true}) {
                        if (!full && bigArtifact && !every && !kind.mayBePerformed) {
                            continue; // a refusal retried once by the SDK is already shown on the small paths
                        }
                        Outcome expected = expected(step, kind, every, commit);
                        String name = step + " " + kind + (every ? " on every re-send" : " once") + " → " + expected;
                        cases.add(DynamicTest.dynamicTest(name, () -> runCase(path, step, kind, every, expected)));
                    }
                }
            }
            paths.add(DynamicContainer.dynamicContainer(path + " (" + steps.size() + " requests)", cases));
        }
        return paths.stream();
    }

    @AfterAll
    static void report() throws IOException {
        int total = CASES.values().stream().mapToInt(AtomicInteger::get).sum();
        StringBuilder text = new StringBuilder(total + " fault injections across " + CASES.size() + " write paths, "
                + KINDS.size() + " kinds\n");
        CASES.forEach((path, n) -> text.append("  ").append(path).append(": ").append(n.get()).append('\n'));
        KINDS.forEach((kind, n) -> text.append("  ").append(kind).append(": ").append(n.get()).append('\n'));
        Path out = Path.of("target", "fault-matrix.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
        System.out.print(text);
    }

    /** Runs the path without faults and returns its write's requests, in order. */
    private static List<Request> record(WritePath path) {
        try (Env env = new Env(S3MockServer.uniquePrefix("faults-record"), Kind.CONNECT_REFUSED, path)) {
            path.prepare(env);
            env.wire.resetRecording();
            path.write(env);
            List<Request> steps = env.wire.recorded();
            assertThat(steps).as("requests of " + path).isNotEmpty();
            return steps;
        }
    }

    /**
     * The request after which the write is decided: the log object it appends, or for a directory
     * its manifest. Failures after it (snapshots, clean-up) must not fail the write.
     */
    private static int commitPoint(WritePath path, List<Request> steps) {
        int commit = -1;
        for (Request r : steps) {
            if (r.operation().equals("PutObject") && !r.path().contains("/snapshot/")) {
                commit = r.index();
            }
        }
        assertThat(commit).as("commit request of " + path + " in " + steps).isPositive();
        if (path == WritePath.SNAPSHOT) {
            assertThat(steps).as("a snapshot is written").anyMatch(r -> r.path().contains("/snapshot/"));
        }
        return commit;
    }

    static Outcome expected(Request step, Kind kind, boolean every, int commit) {
        boolean cleanUp = step.operation().equals("DeleteObject") || step.operation().equals("ListMultipartUploads");
        if (!every || step.index() > commit || cleanUp) {
            return Outcome.APPLIED;
        }
        boolean settledByLooking = switch (step.operation()) {
            case "PutObject", "CompleteMultipartUpload", "CopyObject" -> true;
            default -> false;
        };
        return switch (kind) {
            case CONNECT_REFUSED, THROTTLED_503, THROTTLED_429 -> Outcome.STORAGE_EXCEPTION;
            case RESET_AFTER_SEND, SLOW_RESPONSE -> settledByLooking ? Outcome.APPLIED : Outcome.STORAGE_EXCEPTION;
            case NO_RESPONSE -> step.operation().equals("PutObject") && step.path().contains("/log/")
                    ? Outcome.STATE_UNKNOWN : Outcome.STORAGE_EXCEPTION;
        };
    }

    private void runCase(WritePath path, Request step, Kind kind, boolean every, Outcome expected) {
        CASES.computeIfAbsent(path.name(), k -> new AtomicInteger()).incrementAndGet();
        KINDS.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        String prefix = S3MockServer.uniquePrefix("faults");
        Outcome outcome;
        RuntimeException failure = null;
        try (Env env = new Env(prefix, kind, path)) {
            path.prepare(env);
            env.wire.resetRecording();
            env.wire.failRequest(step.index(), kind, every);
            try {
                path.write(env);
                outcome = Outcome.APPLIED;
            } catch (StorageStateUnknownException e) {
                outcome = Outcome.STATE_UNKNOWN;
                failure = e;
            } catch (StorageException e) {
                outcome = Outcome.STORAGE_EXCEPTION;
                failure = e;
            }
            Request hit = env.wire.faulted().orElseThrow(() -> new AssertionError("request " + step + " was never sent"));
            assertThat(hit.operation()).as("the faulted request").isEqualTo(step.operation());
        }
        assertThat(outcome).as("outcome of %s at %s (%s)", kind, step, failure == null ? "no exception" : failure.toString())
                .isEqualTo(expected);
        if (failure != null) {
            assertThat(failure.getMessage()).as("message names the object").contains("s3://" + BUCKET + "/" + prefix);
        }
        checkNothingHalfWritten(prefix, path, step);
        try (ModelRegistry fresh = freshRegistry(prefix)) {
            boolean applied = appliedIn(path, fresh, prefix);
            if (outcome == Outcome.APPLIED) {
                assertThat(applied).as("the write is visible").isTrue();
            } else {
                // A refused write left nothing; an unknown one was never performed by this fault.
                assertThat(applied).as("the write is not visible").isFalse();
            }
        }
        if (outcome != Outcome.APPLIED) {
            try (Env again = new Env(prefix, kind, path)) {
                path.write(again);
            }
            try (ModelRegistry fresh = freshRegistry(prefix)) {
                assertThat(appliedIn(path, fresh, prefix)).as("the repeated write is visible").isTrue();
                assertThat(fresh.verify().intact()).isTrue();
            }
            checkNothingHalfWritten(prefix, path, step);
        }
    }

    private static boolean appliedIn(WritePath path, ModelRegistry fresh, String prefix) {
        return path.applied(fresh, prefix);
    }

    private static ModelRegistry freshRegistry(String prefix) {
        return S3Registry.builder(S3Config.builder(BUCKET).prefix(prefix).client(S3MockServer.client())
                .changeCheckInterval(Duration.ZERO).build()).build();
    }

    /** The registry verifies; every object under a digest holds those bytes; no upload open; nothing temporary left. */
    private static void checkNothingHalfWritten(String prefix, WritePath path, Request step) {
        try (ModelRegistry fresh = freshRegistry(prefix)) {
            assertThat(fresh.verify().intact()).as("verify() after a fault at " + step).isTrue();
        }
        assertThat(S3MockServer.openUploadsUnder(prefix)).as("open multipart uploads").isEmpty();
        boolean deleteFaulted = step.operation().equals("DeleteObject");
        for (S3Object o : S3MockServer.client().listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix + "/artifacts/")).contents()) {
            String key = o.key();
            if (key.startsWith(prefix + "/artifacts/tmp/")) {
                assertThat(deleteFaulted).as("temporary object " + key + " left behind").isTrue();
                continue;
            }
            String hex = key.substring(key.lastIndexOf('/') + 1);
            byte[] bytes = S3MockServer.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(key)).asByteArrayUnsafe();
            assertThat(Sha256.digest(bytes).hex()).as("content of " + key).isEqualTo(hex);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path savedModel() {
        Path dir = temp.resolve("saved_model");
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir.resolve("variables"));
                Files.write(dir.resolve("saved_model.pb"), GeneratedContent.bytes(3000, 11));
                Files.write(dir.resolve("variables/variables.data"), GeneratedContent.bytes(2000, 12));
                Files.write(dir.resolve("variables/variables.index"), new byte[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    private static List<DirectoryManifest.Entry> directoryEntries() {
        List<DirectoryManifest.Entry> entries = new ArrayList<>();
        entries.add(entry("saved_model.pb", GeneratedContent.bytes(3000, 11)));
        entries.add(entry("variables/variables.data", GeneratedContent.bytes(2000, 12)));
        entries.add(entry("variables/variables.index", new byte[0]));
        return entries;
    }

    private static DirectoryManifest.Entry entry(String path, byte[] bytes) {
        return new DirectoryManifest.Entry(path, Sha256.digest(bytes), bytes.length);
    }
}
