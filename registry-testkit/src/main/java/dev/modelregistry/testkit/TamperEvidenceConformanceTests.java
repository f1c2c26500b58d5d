package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryException;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.VerificationReport.Finding;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.serving.ModelHandle;
import dev.modelregistry.serving.SwapListener;
import dev.modelregistry.SigningKey;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.UntrustedVersionException;
import dev.modelregistry.VersionSignature;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tamper evidence and signed versions, on one backend: a stored event edited, deleted, moved or cut
 * off the end, or an artifact byte flipped, directly in the storage (a row, an object), is named by
 * {@code verify()} and refused by serving; a signature stops verifying when the version it covers is
 * rewritten, even by someone who recomputes the whole hash chain.
 *
 * <p>A backend's test implements {@link #openBackend} and the tampering hooks, which change the
 * storage behind the registry's back the way someone with write access to it would:
 *
 * <pre>{@code
 * class SqliteTamperEvidenceTest extends TamperEvidenceConformanceTests {
 *     protected Backend openBackend(Path dir) { return () -> SqliteRegistry.builder(dir); }
 *     protected void rewriteStoredEntry(String model, long sequence, UnaryOperator<String> edit) { ...raw UPDATE... }
 *     ...
 * }
 * }</pre>
 *
 * <p>Every test starts from the same history of model {@value #MODEL}, whose appends are
 * 1-2 (created, 1.0.0 registered), 3 (1.1.0 registered), 4 (1.0.0 into STAGING), 5 (1.0.0 into
 * PRODUCTION), 6 (1.1.0 into STAGING) and 7-8 (1.0.0 displaced, 1.1.0 into PRODUCTION); a backend
 * that keeps second copies may rely on these boundaries. Tests that go on append one entry at a time
 * (an evaluation at 9, a signature at 10).
 */
public abstract class TamperEvidenceConformanceTests {
    protected static final String MODEL = "fraud-detector";
    protected static final Principal ALICE = Principal.of("alice", "admin");
    protected static final byte[] WEIGHTS_1 = "weights of 1.0.0".getBytes(StandardCharsets.UTF_8);
    protected static final byte[] WEIGHTS_2 = "weights of 1.1.0".getBytes(StandardCharsets.UTF_8);
    protected static final DatasetRef HOLDOUT = DatasetRef.gitCommit("s3://data/holdout", "7d41b9e");

    @TempDir
    protected Path tempDir;

    protected Backend backend;
    protected ManualClock clock;
    protected ModelRegistry registry;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Opens a fresh, empty backend that keeps whatever files it needs under {@code dir}. */
    protected abstract Backend openBackend(Path dir) throws Exception;

    /** Rewrites the stored text of entry {@code sequence} of {@code model} (every copy the backend keeps of it). */
    protected abstract void rewriteStoredEntry(String model, long sequence, UnaryOperator<String> edit) throws Exception;

    /** Deletes entry {@code sequence} (where the backend stores appends whole, the append that holds it). */
    protected abstract void deleteStoredEntry(String model, long sequence) throws Exception;

    /** Swaps the stored places of entries {@code a} and {@code b} (each stored alone). */
    protected abstract void swapStoredEntries(String model, long a, long b) throws Exception;

    /** Deletes every entry from {@code fromSequence} (the start of an append) to the end of the log. */
    protected abstract void deleteTail(String model, long fromSequence) throws Exception;

    /** Flips one byte of the stored artifact with digest {@code digest}. */
    protected abstract void flipArtifactByte(Sha256 digest) throws Exception;

    @BeforeEach
    void openRegistry() throws Exception {
        backend = openBackend(tempDir);
        clock = ManualClock.startingAtEpochOf2024();
        registry = newRegistry();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        backend.close();
    }

    /** Another registry over the same backend, as another process would open it after the tampering. */
    protected ModelRegistry newRegistry() {
        ModelRegistry r = backend.registryBuilder().clock(clock).lifecycle(Lifecycle.defaults()).build();
        opened.add(r);
        return r;
    }

    protected static SemVer v(String text) {
        return SemVer.parse(text);
    }

    /** The history every test starts from; see the class comment for its appends. */
    protected void history() {
        registry.register(ALICE, Registration.of(MODEL).version("1.0.0")
                .artifact("model.bin", "application/octet-stream", WEIGHTS_1).build());
        registry.register(ALICE, Registration.of(MODEL).version("1.1.0")
                .artifact("model.bin", "application/octet-stream", WEIGHTS_2).build());
        registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "smoke tests passed");
        registry.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "approved");
        registry.promote(ALICE, MODEL, v("1.1.0"), Stage.STAGING, "smoke tests passed");
        registry.promote(ALICE, MODEL, v("1.1.0"), Stage.PRODUCTION, "approved");
        assertThat(registry.findModel(MODEL).orElseThrow().logLength()).isEqualTo(8);
    }

    private ModelHandle<String> handle(ModelRegistry r, TrustPolicy trust, SwapListener<String> listener) {
        ModelHandle.Builder<String> b = ModelHandle.builder(r, MODEL, Stage.PRODUCTION,
                        (file, version) -> Files.readString(file))
                .cache(dev.modelregistry.serving.LocalArtifactCache.open(tempDir.resolve("cache-" + opened.size()), 0))
                .maxPollInterval(Duration.ofHours(1)).pollInterval(Duration.ofHours(1));
        if (trust != null) {
            b.trustPolicy(trust);
        }
        if (listener != null) {
            b.listener(listener);
        }
        ModelHandle<String> h = b.build();
        opened.add(h);
        return h;
    }

    private static VerificationReport.LogResult problemOf(VerificationReport report) {
        assertThat(report.intact()).as(report.summary()).isFalse();
        return report.firstProblem().orElseThrow();
    }

    // =====================================================================================
    @Nested
    @DisplayName("tamper evidence")
    class TamperEvidence {

        @BeforeEach
        void recordHistory() {
            history();
        }

        @Test
        @DisplayName("an untouched history verifies, with its artifacts")
        void untouched() {
            VerificationReport report = newRegistry().verifyWithArtifacts();
            assertThat(report.intact()).as(report.summary()).isTrue();
            assertThat(report.logs()).extracting(VerificationReport.LogResult::model).contains(ModelName.of(MODEL));
            assertThat(report.entriesChecked()).isGreaterThanOrEqualTo(8);
        }

        @Test
        @DisplayName("an edited event is named by verify() (model, sequence, EDITED) and refused by serving")
        void edited() throws Exception {
            rewriteStoredEntry(MODEL, 4, text -> text.replace("\"principal\":\"alice\"", "\"principal\":\"mallory\""));

            VerificationReport.LogResult problem = problemOf(newRegistry().verify());
            assertThat(problem.model()).isEqualTo(ModelName.of(MODEL));
            assertThat(problem.finding()).isEqualTo(Finding.EDITED);
            assertThat(problem.firstBrokenSequence()).hasValue(4);
            assertThat(newRegistry().verify(MODEL).intact()).isFalse();
            assertThatThrownBy(() -> handle(newRegistry(), null, null)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining(MODEL).hasMessageContaining("EDITED");
        }

        @Test
        @DisplayName("an edited event is named even when the edit keeps the JSON valid and the hash field untouched")
        void editedMetadataKeepsHash() throws Exception {
            rewriteStoredEntry(MODEL, 3, text -> text.replace("\"1.1.0\"", "\"1.1.1\""));

            VerificationReport.LogResult problem = problemOf(newRegistry().verify());
            assertThat(problem.finding()).isEqualTo(Finding.EDITED);
            assertThat(problem.firstBrokenSequence()).hasValue(3);
        }

        @Test
        @DisplayName("a deleted event is named by verify() (DELETED at its sequence) and refused by serving")
        void deleted() throws Exception {
            deleteStoredEntry(MODEL, 4);

            VerificationReport.LogResult problem = problemOf(newRegistry().verify());
            assertThat(problem.finding()).isEqualTo(Finding.DELETED);
            assertThat(problem.firstBrokenSequence()).hasValue(4);
            assertThat(problem.problem()).contains("4");
            assertThatThrownBy(() -> handle(newRegistry(), null, null)).isInstanceOf(IntegrityException.class);
        }

        @Test
        @DisplayName("two swapped events are named by verify() (REORDERED at the first) and refused by serving")
        void reordered() throws Exception {
            swapStoredEntries(MODEL, 4, 5);

            VerificationReport.LogResult problem = problemOf(newRegistry().verify());
            assertThat(problem.finding()).isEqualTo(Finding.REORDERED);
            assertThat(problem.firstBrokenSequence()).hasValue(4);
            assertThatThrownBy(() -> handle(newRegistry(), null, null)).isInstanceOf(IntegrityException.class);
        }

        @Test
        @DisplayName("deleting the last events is named by verify() (TRUNCATED) from the backend's own record of the end")
        void truncated() throws Exception {
            deleteTail(MODEL, 7);

            VerificationReport.LogResult problem = problemOf(newRegistry().verify());
            assertThat(problem.finding()).isEqualTo(Finding.TRUNCATED);
            assertThat(problem.firstBrokenSequence()).hasValue(7);
            assertThat(problem.problem()).contains("7");
            assertThatThrownBy(() -> handle(newRegistry(), null, null)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("TRUNCATED");
        }

        @Test
        @DisplayName("deleting a tail of events that are neither registrations nor stage moves (an evaluation, a signature) is named TRUNCATED too")
        void truncatedOtherEvents() throws Exception {
            registry.recordEvaluation(ALICE, MODEL, v("1.1.0"), Evaluation.of(HOLDOUT, Map.of("auc", 0.93)), "nightly evaluation");
            registry.sign(ALICE, MODEL, v("1.1.0"), SigningKey.generate("release-2026"));
            assertThat(registry.findModel(MODEL).orElseThrow().logLength()).isEqualTo(10);
            deleteTail(MODEL, 9);

            VerificationReport.LogResult problem = problemOf(newRegistry().verify());
            assertThat(problem.model()).isEqualTo(ModelName.of(MODEL));
            assertThat(problem.finding()).isEqualTo(Finding.TRUNCATED);
            assertThat(problem.firstBrokenSequence()).hasValue(9);
            assertThat(problem.problem()).contains("9");
            assertThat(newRegistry().verify(MODEL).intact()).isFalse();
            assertThatThrownBy(() -> handle(newRegistry(), null, null)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("TRUNCATED");
        }

        @Test
        @DisplayName("a flipped artifact byte is named by verifyWithArtifacts() (model, version, artifact) and refused by serving")
        void flippedArtifact() throws Exception {
            ModelVersion v11 = registry.getVersion(MODEL, v("1.1.0"));
            flipArtifactByte(v11.artifact("model.bin").sha256());

            ModelRegistry fresh = newRegistry();
            assertThat(fresh.verify().intact()).isTrue();
            VerificationReport report = fresh.verifyWithArtifacts();
            assertThat(report.intact()).isFalse();
            assertThat(report.artifactProblems()).singleElement().satisfies(p -> {
                assertThat(p.model()).isEqualTo(ModelName.of(MODEL));
                assertThat(p.version()).isEqualTo(v("1.1.0"));
                assertThat(p.artifact()).isEqualTo("model.bin");
                assertThat(p.problem()).contains("altered");
            });
            assertThatThrownBy(() -> handle(fresh, null, null)).isInstanceOf(IntegrityException.class)
                    .hasMessageContaining("model.bin").hasMessageContaining(MODEL + "@1.1.0");
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("signed versions")
    class SignedVersions {
        private final SigningKey release = SigningKey.generate("release-2026");
        private final SigningKey security = SigningKey.generate("security-2026");

        private TrustPolicy productionNeedsRelease() {
            return TrustPolicy.builder().trust(release.trustedKey(), security.trustedKey())
                    .require(Stage.PRODUCTION, 1, "release-2026").build();
        }

        @BeforeEach
        void versions() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0")
                    .artifact("model.bin", "application/octet-stream", WEIGHTS_1)
                    .dataset(dev.modelregistry.DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"))
                    .hyperparameter("learningRate", 0.05).build());
            registry.register(ALICE, Registration.of(MODEL).version("1.1.0")
                    .artifact("model.bin", "application/octet-stream", WEIGHTS_2).build());
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "");
            registry.promote(ALICE, MODEL, v("1.1.0"), Stage.STAGING, "");
        }

        @Test
        @DisplayName("a signature is stored in the log and read back by another registry, verifying against its key")
        void roundTrip() {
            VersionSignature made = registry.sign(ALICE, MODEL, v("1.0.0"), release);

            ModelRegistry other = newRegistry();
            assertThat(other.signatures(MODEL, v("1.0.0"))).containsExactly(made);
            assertThat(made.manifestDigest()).isEqualTo(other.manifest(MODEL, v("1.0.0")).digest());
            assertThat(productionNeedsRelease().check(Stage.PRODUCTION, other.getVersion(MODEL, v("1.0.0")),
                    other.signatures(MODEL, v("1.0.0"))).satisfied()).isTrue();
            assertThat(other.verify().intact()).isTrue();
        }

        @Test
        @DisplayName("the trust policy refuses promotion of an unsigned version, naming the missing key, and lets a signed one in")
        void promotionNeedsSignature() {
            registry.setTrustPolicy(ALICE, productionNeedsRelease(), "signed releases only");
            ModelRegistry other = newRegistry();

            assertThatThrownBy(() -> other.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class)
                    .hasMessageContaining("trusted-signatures").hasMessageContaining("release-2026");
            other.sign(ALICE, MODEL, v("1.0.0"), release);
            var result = newRegistry().promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "");
            assertThat(result.applied()).isTrue();
            assertThat(result.report().results()).anySatisfy(g -> {
                assertThat(g.gate()).isEqualTo("trusted-signatures");
                assertThat(g.outcome()).isEqualTo(GateOutcome.PASSED);
            });
        }

        @Test
        @DisplayName("a version record rewritten in storage after signing, with the whole chain re-hashed, fails its signature on promotion and on load")
        void rewrittenAfterSigning() throws Exception {
            registry.sign(ALICE, MODEL, v("1.0.0"), release);
            registry.setTrustPolicy(ALICE, productionNeedsRelease(), "");
            List<LogEntry> log = registry.log(MODEL);
            // The attacker points 1.0.0 at other weights and recomputes every hash after it, so the chain verifies.
            ModelVersion original = registry.getVersion(MODEL, v("1.0.0"));
            dev.modelregistry.ArtifactRef mine = original.artifacts().get(0);
            dev.modelregistry.ArtifactRef theirs = registry.getVersion(MODEL, v("1.1.0")).artifact("model.bin");
            ModelVersion forged = new ModelVersion(original.model(), original.version(), original.tags(), original.author(),
                    original.createdAt(), original.framework(), original.frameworkVersion(), original.hyperparameters(),
                    original.signature(), Map.of("auc", 0.99), List.of(new dev.modelregistry.ArtifactRef(mine.name(), theirs.uri(), theirs.sha256(), theirs.size(), mine.mediaType())),
                    original.provenance(), original.description(), original.labels());
            List<LogEntry> rewritten = new ArrayList<>();
            Sha256 prev = LogEntry.GENESIS;
            for (LogEntry e : log) {
                var event = e.event() instanceof VersionRegistered r && r.version().version().equals(v("1.0.0"))
                        ? new VersionRegistered(forged) : e.event();
                LogEntry sealed = LogEntry.seal(e.model(), e.sequence(), e.time(), e.principal(), e.reason(), prev, event);
                rewritten.add(sealed);
                prev = sealed.hash();
            }
            for (LogEntry e : rewritten) {
                String text = EventCodec.toJson(e);
                rewriteStoredEntry(MODEL, e.sequence(), old -> text);
            }

            ModelRegistry other = newRegistry();
            assertThat(other.verify().intact()).as("the attacker re-hashed the chain").isTrue();
            assertThatThrownBy(() -> other.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining("changed after it was signed");
        }

        @Test
        @DisplayName("a handle with a trust policy refuses an unsigned version the stage moves to and keeps serving the signed one")
        void servingRefusesUnsigned() throws Exception {
            registry.sign(ALICE, MODEL, v("1.0.0"), release);
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "");
            List<RegistryException> failures = new CopyOnWriteArrayList<>();
            ModelHandle<String> h = handle(newRegistry(), productionNeedsRelease(), new SwapListener<>() {
                @Override
                public void onFailure(ModelVersion attempted, RegistryException error) {
                    failures.add(error);
                }
            });
            assertThat(h.current().model()).isEqualTo("weights of 1.0.0");

            registry.promote(ALICE, MODEL, v("1.1.0"), Stage.PRODUCTION, "no signature, no trust policy on the registry");
            h.refresh();

            assertThat(h.current().version().version()).isEqualTo(v("1.0.0"));
            assertThat(failures).singleElement().isInstanceOf(UntrustedVersionException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("1.1.0").contains("release-2026"));

            registry.sign(ALICE, MODEL, v("1.1.0"), release);
            assertThat(handle(newRegistry(), productionNeedsRelease(), null).current().version().version()).isEqualTo(v("1.1.0"));
        }
    }
}
