package dev.modelregistry.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.examples.fraud.FeatureSet;
import dev.modelregistry.examples.fraud.FraudPipeline;
import dev.modelregistry.examples.fraud.FraudScorer;
import dev.modelregistry.examples.fraud.FraudTrainer;
import dev.modelregistry.examples.fraud.TransactionGenerator.Snapshot;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateResult;
import dev.modelregistry.testkit.InMemoryRegistryExtension;
import dev.modelregistry.testkit.ManualClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test-harness example: how a team tests its own pipeline and release rules against the
 * registry. {@link InMemoryRegistryExtension} hands every test a fresh in-memory registry (no files,
 * no network) and the {@link ManualClock} it runs on; the tests register fixtures and assert what
 * the promotion rules — the team's gate policy, shipped as data — let through.
 *
 * <p>Run it alone: {@code ./mvnw -B -ntp -pl examples -am verify -DskipTests -Ptest-harness}.
 */
@ExtendWith(InMemoryRegistryExtension.class)
@DisplayName("the fraud team's pipeline and release rules")
class FraudPipelineTest {
    static final String MODEL = "fraud-detector";
    static final DatasetRef HOLDOUT = DatasetRef.gitCommit("data/holdout.csv", "fixture");
    static final Principal PIPELINE = Principal.of("training-pipeline");

    /** The gate policy the team ships, read from the same file the demo runs under. */
    static GatePolicy teamPolicy() throws Exception {
        try (InputStream in = FraudPipelineTest.class.getResourceAsStream("/fraud-detector-policy.json")) {
            return GatePolicy.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A registered fixture: no training, just the metadata the rules look at. */
    static ModelVersion fixture(ModelRegistry registry, String version, FeatureSet features, double auc) {
        ModelVersion v = registry.register(PIPELINE, Registration.of(MODEL).version(version)
                .signature(features.signature())
                .artifact("model.tribuo", "application/x-protobuf", ("fixture " + version).getBytes(StandardCharsets.UTF_8))
                .dataset(DatasetRef.gitCommit("data/transactions.csv", "fixture"))
                .modelCard(ModelCard.builder().intendedUse("tests").limitations("fixture").build())
                .build());
        if (registry.findCanonicalEvaluationSet(MODEL).isEmpty()) {
            registry.setCanonicalEvaluationSet(PIPELINE, MODEL, HOLDOUT, "fixture holdout");
        }
        registry.recordEvaluation(PIPELINE, MODEL, v.version(), new Evaluation(HOLDOUT, Map.of("auc", auc),
                Map.of("region:eu", Map.of("auc", auc), "region:na", Map.of("auc", auc - 0.01)),
                Map.of("latency_p99_ms", 2.0)), "fixture evaluation");
        return v;
    }

    static void approveIntoProduction(ModelRegistry registry, ModelVersion v) {
        registry.promote(PIPELINE, MODEL, v.version(), Stage.STAGING, "test");
        var request = registry.promote(PIPELINE, MODEL, v.version(), Stage.PRODUCTION, "test").pendingRequest().orElseThrow();
        registry.approve(Principal.of("reviewer", "approver"), request.id(), "test approval");
    }

    @Nested
    @DisplayName("under the team's gate policy")
    class UnderThePolicy {
        @Test
        @DisplayName("a version must pass through Staging before Production")
        void noSkippingStaging(ModelRegistry registry) throws Exception {
            registry.setGatePolicy(PIPELINE, teamPolicy(), "test");
            ModelVersion v = fixture(registry, "1.0.0", FeatureSet.V1, 0.85);
            assertThatThrownBy(() -> registry.promote(PIPELINE, MODEL, v.version(), Stage.PRODUCTION, "skip"))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThat(registry.stageOf(MODEL, v.version())).isEqualTo(Stage.NONE);
        }

        @Test
        @DisplayName("a model below the AUC floor does not even reach Staging")
        void aucFloor(ModelRegistry registry) throws Exception {
            registry.setGatePolicy(PIPELINE, teamPolicy(), "test");
            ModelVersion weak = fixture(registry, "1.0.0", FeatureSet.V1, 0.70);
            assertThatThrownBy(() -> registry.promote(PIPELINE, MODEL, weak.version(), Stage.STAGING, "try"))
                    .isInstanceOfSatisfying(GateRejectedException.class, e -> assertThat(e.report().results())
                            .filteredOn(r -> r.gate().equals("auc-floor")).extracting(GateResult::outcome).extracting(Enum::name)
                            .containsExactly("FAILED"));
        }

        @Test
        @DisplayName("Production waits for an approval by someone other than the author")
        void fourEyes(ModelRegistry registry) throws Exception {
            registry.setGatePolicy(PIPELINE, teamPolicy(), "test");
            ModelVersion v = fixture(registry, "1.0.0", FeatureSet.V1, 0.85);
            registry.promote(PIPELINE, MODEL, v.version(), Stage.STAGING, "test");
            var request = registry.promote(PIPELINE, MODEL, v.version(), Stage.PRODUCTION, "test").pendingRequest().orElseThrow();
            assertThatThrownBy(() -> registry.approve(Principal.of(PIPELINE.name(), "approver"), request.id(), "self"))
                    .isInstanceOf(StateConflictException.class).hasMessageContaining("the author");
            assertThat(registry.approve(Principal.of("reviewer", "approver"), request.id(), "ok").applied()).isTrue();
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v.version());
        }

        @Test
        @DisplayName("a candidate that regresses AUC against Production is rejected, and Production stays")
        void noRegression(ModelRegistry registry) throws Exception {
            registry.setGatePolicy(PIPELINE, teamPolicy(), "test");
            ModelVersion incumbent = fixture(registry, "1.0.0", FeatureSet.V1, 0.86);
            approveIntoProduction(registry, incumbent);
            ModelVersion worse = fixture(registry, "1.1.0", FeatureSet.V1, 0.84);
            registry.promote(PIPELINE, MODEL, worse.version(), Stage.STAGING, "test");
            assertThatThrownBy(() -> registry.promote(PIPELINE, MODEL, worse.version(), Stage.PRODUCTION, "test"))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining("refused");
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(incumbent.version());
        }
    }

    @Test
    @DisplayName("changing the feature set needs a MAJOR version")
    void breakingChange(ModelRegistry registry) {
        fixture(registry, "1.5.0", FeatureSet.V1, 0.85);
        assertThatThrownBy(() -> registry.register(PIPELINE, Registration.of(MODEL).bump(Bump.MINOR)
                .signature(FeatureSet.V2.signature()).build()))
                .isInstanceOf(BreakingChangeException.class).hasMessageContaining("merchant_category");
        assertThat(registry.register(PIPELINE, Registration.of(MODEL).bump(Bump.AUTO).signature(FeatureSet.V2.signature()).build())
                .version()).isEqualTo(SemVer.parse("2.0.0"));
    }

    @Test
    @DisplayName("a rollback reinstates the previous Production version, and history answers what served when")
    void rollbackAndTimeTravel(ModelRegistry registry, ManualClock clock) {
        ModelVersion v1 = fixture(registry, "1.0.0", FeatureSet.V1, 0.85);
        registry.promote(PIPELINE, MODEL, v1.version(), Stage.STAGING, "");
        registry.promote(PIPELINE, MODEL, v1.version(), Stage.PRODUCTION, "");
        Instant v1Serving = clock.advance(Duration.ofHours(1));
        ModelVersion v2 = fixture(registry, "2.0.0", FeatureSet.V2, 0.87);
        registry.promote(PIPELINE, MODEL, v2.version(), Stage.STAGING, "");
        registry.promote(PIPELINE, MODEL, v2.version(), Stage.PRODUCTION, "");
        clock.advance(Duration.ofHours(1));
        registry.rollback(PIPELINE, MODEL, Stage.PRODUCTION, "incident");

        assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v1.version());
        assertThat(registry.findCurrentAt(MODEL, Stage.PRODUCTION, v1Serving.minus(Duration.ofMinutes(30)))).map(ModelVersion::version).contains(v1.version());
        assertThat(registry.findCurrentAt(MODEL, Stage.PRODUCTION, v1Serving.plus(Duration.ofMinutes(30))))
                .map(ModelVersion::version).contains(v2.version());
    }

    @Test
    @DisplayName("the pipeline's registered artifact scores exactly like the model it trained")
    void registeredArtifactRoundTrips(ModelRegistry registry, @TempDir Path dir) throws Exception {
        FraudPipeline pipeline = new FraudPipeline(dir.resolve("data"));
        Snapshot training = pipeline.snapshot("train", 1, 1_000);
        Snapshot holdout = pipeline.snapshot("holdout", 2, 500);
        ModelVersion v = pipeline.trainAndRegister(registry, PIPELINE, new FraudTrainer(0.5, 2, 1, 7L, java.time.Clock.systemUTC()),
                FeatureSet.V1, "1.0.0", List.of(training), holdout);

        assertThat(v.datasets()).containsExactly(training.ref());
        assertThat(v.datasets().get(0).contentHash()).hasSize(64);
        assertThat(registry.findEvaluation(MODEL, v.version(), holdout.ref())).isPresent();
        Path file = registry.downloadArtifact(MODEL, v.version(), FraudPipeline.MODEL_ARTIFACT, dir.resolve("model.tribuo"));
        FraudScorer scorer = FraudScorer.load(file, v);
        Map<String, Object> t = Map.of("amount", 900, "hour", 2, "merchant_category", "gaming", "is_foreign", 1);
        assertThat(scorer.score(t)).isBetween(0.0, 1.0);
        assertThat(scorer.score(t)).isGreaterThan(scorer.score(Map.of("amount", 12, "hour", 12, "merchant_category", "grocery", "is_foreign", 0)));
        assertThat(Files.size(file)).isEqualTo(v.artifact(FraudPipeline.MODEL_ARTIFACT).size());
    }
}
