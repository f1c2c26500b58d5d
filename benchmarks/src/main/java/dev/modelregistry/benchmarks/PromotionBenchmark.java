package dev.modelregistry.benchmarks;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Signature;
import dev.modelregistry.Stage;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Comparison;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What governance costs a promotion into Production, in memory: a typical policy (five automated
 * gates — metric threshold, no regression against the incumbent, fairness across slices, a latency
 * budget, required documentation — and one manual approval, so the promotion is a request plus an
 * approval that re-evaluates every gate) against the same promotion with no gates, in the same run.
 *
 * <p>Each invocation promotes a fresh candidate that setup registered, evaluated and put in Staging
 * (setup is not measured), so both benchmarks also displace the previous Production holder.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class PromotionBenchmark {
    private static final String MODEL = "fraud-detector";
    private static final DatasetRef HOLDOUT = DatasetRef.parse("s3://data/holdout@v3");
    private static final Principal PIPELINE = Principal.of("pipeline", "admin");
    private static final Principal APPROVER = Principal.of("maria", "approver", "admin");

    ModelRegistry governed;
    ModelRegistry ungoverned;
    int next;
    SemVer candidate;

    @Setup(Level.Iteration)
    public void registries() {
        GatePolicy typical = GatePolicy.builder().transition(Stage.STAGING, Stage.PRODUCTION,
                new GateSpec.MetricThreshold("auc-floor", "auc", Comparison.AT_LEAST, 0.85, HOLDOUT.id()),
                new GateSpec.NoRegression("no-regression", "auc", 0.01, true, HOLDOUT.id()),
                new GateSpec.Fairness("fairness", "tpr", "gender:", 0.05, HOLDOUT.id()),
                new GateSpec.OperationalBudget("latency", "latency_p99_ms", 50, HOLDOUT.id()),
                new GateSpec.Documentation("docs", List.of("intended-use"), true, true),
                new GateSpec.ManualApproval("sign-off", 1, "approver", true, false)).build();
        governed = ModelRegistry.builder().gatePolicy(typical).accessPolicy(AccessPolicy.standardRoles()).build();
        ungoverned = ModelRegistry.inMemory();
        next = 0;
    }

    @TearDown(Level.Iteration)
    public void close() {
        governed.close();
        ungoverned.close();
    }

    @Setup(Level.Invocation)
    public void candidateInStaging() {
        candidate = SemVer.of(1, next++, 0);
        for (ModelRegistry r : List.of(governed, ungoverned)) {
            r.register(PIPELINE, Registration.of(MODEL).version(candidate)
                    .signature(Signature.of(List.of(Signature.Field.of("amount", "double")), List.of()))
                    .dataset(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"))
                    .modelCard(ModelCard.builder().intendedUse("fraud review").build())
                    .build());
            r.recordEvaluation(PIPELINE, MODEL, candidate, new Evaluation(HOLDOUT, Map.of("auc", 0.90 + next * 1e-6),
                    Map.of("gender:f", Map.of("tpr", 0.81), "gender:m", Map.of("tpr", 0.83)), Map.of("latency_p99_ms", 20.0)), "");
            r.promote(PIPELINE, MODEL, candidate, Stage.STAGING, "");
        }
    }

    @Benchmark
    public PromotionResult promoteWithoutGates() {
        return ungoverned.promote(PIPELINE, MODEL, candidate, Stage.PRODUCTION, "release");
    }

    @Benchmark
    public PromotionResult promoteWithTypicalPolicy() {
        PromotionResult pending = governed.promote(PIPELINE, MODEL, candidate, Stage.PRODUCTION, "release");
        PromotionResult applied = governed.approve(APPROVER, pending.pendingRequest().orElseThrow().id(), "ok");
        if (!applied.applied()) {
            throw new IllegalStateException("the approval did not apply the promotion: " + applied.report().summary());
        }
        return applied;
    }
}
