package dev.modelregistry.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.Gate;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateResult;
import dev.modelregistry.GateSpec;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.Provenance;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Signature;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.TrustPolicy;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.internal.gate.GateEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What every planner test starts from, without storage: a model's log built by sealing events in
 * sequence at one fixed time and folding them into a {@link ModelState}, a {@link PolicySnapshot}
 * from the public policy types, and {@link Log#write}, which does what the commit loop does with a
 * plan (seal its events after the end of the log, run its check, fold them, compute the outcome).
 */
final class PlannerFixture {
    static final ModelName MODEL = ModelName.of("fraud-detector");
    static final Instant NOW = Instant.parse("2026-01-15T10:00:00Z");
    static final String HOLDOUT = "s3://data/holdout@v3";
    /** The author of every version the fixture registers. */
    static final String AUTHOR = "alice";
    static final Stage NONE = Stage.NONE;
    static final Stage STAGING = Stage.STAGING;
    static final Stage PRODUCTION = Stage.PRODUCTION;
    static final Stage ARCHIVED = Stage.ARCHIVED;
    static final Lifecycle LIFECYCLE = Lifecycle.defaults();

    private PlannerFixture() {
    }

    static Log log() {
        return new Log(MODEL);
    }

    static Log systemLog() {
        return new Log(ModelName.SYSTEM);
    }

    static SemVer v(String semver) {
        return SemVer.parse(semver);
    }

    /** Version {@code semver} of the model, by {@link #AUTHOR}, with an undeclared signature. */
    static ModelVersion version(String semver) {
        return version(semver, Signature.UNDECLARED);
    }

    static ModelVersion version(String semver, Signature signature) {
        return new ModelVersion(MODEL, v(semver), List.of(), AUTHOR, NOW, "xgboost", "2.0.3", Map.of(), signature,
                Map.of(), List.of(), Provenance.NONE, "", Map.of());
    }

    /** A signature with these double inputs and the outputs named, all doubles. */
    static Signature signature(List<String> inputs, String... outputs) {
        return Signature.of(inputs.stream().map(n -> Signature.Field.of(n, "double")).toList(),
                Arrays.stream(outputs).map(n -> Signature.Field.of(n, "double")).toList());
    }

    static Evaluation evaluation(String set, double auc) {
        return Evaluation.of(DatasetRef.parse(set), Map.of("auc", auc));
    }

    // ------------------------------------------------------------------ policies

    static PolicySnapshot policies() {
        return policies(AccessPolicy.allowAll(), GatePolicy.empty(), TrustPolicy.none());
    }

    static PolicySnapshot policies(GatePolicy gates) {
        return policies(AccessPolicy.allowAll(), gates, TrustPolicy.none());
    }

    static PolicySnapshot policies(AccessPolicy access, GatePolicy gates) {
        return policies(access, gates, TrustPolicy.none());
    }

    static PolicySnapshot policies(AccessPolicy access, GatePolicy gates, TrustPolicy trust) {
        return new PolicySnapshot(access, gates, trust, LIFECYCLE);
    }

    /** A gate policy with {@code gates} on STAGING -> PRODUCTION and nothing else. */
    static GatePolicy intoProduction(GateSpec... gates) {
        return GatePolicy.builder().transition(STAGING, PRODUCTION, gates).build();
    }

    /** A gate engine that knows {@code custom}; planners only ask it for reports, so its executor runs gates in place. */
    static GateEngine gateEngine(Map<String, Gate> custom) {
        return new GateEngine(custom, Duration.ofMinutes(1), new DirectExecutor());
    }

    static PromotionPlanner promotions() {
        return new PromotionPlanner(gateEngine(Map.of()));
    }

    static GateResult pending(String gate) {
        return new GateResult(gate, "manual-approval", GateOutcome.PENDING, List.of("waiting"), Map.of());
    }

    // ------------------------------------------------------------------ the log

    /** A model's log: its sealed entries and their fold. */
    static final class Log {
        final ModelState state;
        final List<LogEntry> entries = new ArrayList<>();

        Log(ModelName model) {
            this.state = new ModelState(model);
        }

        /** Seals {@code events} after the end of the log, as written by {@code principal}, without folding them. */
        List<LogEntry> seal(String principal, List<RegistryEvent> events) {
            List<LogEntry> sealed = new ArrayList<>();
            long seq = state.lastSequence();
            Sha256 prev = state.lastHash();
            for (RegistryEvent event : events) {
                LogEntry e = LogEntry.seal(state.model(), ++seq, NOW, principal, "test", prev, event);
                sealed.add(e);
                prev = e.hash();
            }
            return sealed;
        }

        /** Appends {@code events} as written by {@code principal}. */
        Log append(String principal, RegistryEvent... events) {
            fold(seal(principal, List.of(events)));
            return this;
        }

        Log with(RegistryEvent... events) {
            return append(AUTHOR, events);
        }

        private void fold(List<LogEntry> sealed) {
            for (LogEntry e : sealed) {
                state.apply(e);
                entries.add(e);
            }
        }

        /** Registers each version (creating the model first when it has no log yet). */
        Log register(String... versions) {
            for (String semver : versions) {
                register(version(semver));
            }
            return this;
        }

        Log register(ModelVersion version) {
            if (!state.exists()) {
                with(new ModelCreated(state.model()));
            }
            return with(new VersionRegistered(version));
        }

        /** Moves {@code version} from its stage into each of {@code path} in turn, displacing an exclusive holder. */
        Log promote(String version, Stage... path) {
            for (Stage to : path) {
                if (LIFECYCLE.isExclusive(to)) {
                    state.current(to).ifPresent(h -> with(new StageChanged(h.version(), to, ARCHIVED, StageChange.Kind.DISPLACED)));
                }
                move(version, to, to.equals(ARCHIVED) ? StageChange.Kind.ARCHIVE : StageChange.Kind.PROMOTION);
            }
            return this;
        }

        Log move(String version, Stage to, StageChange.Kind kind) {
            return with(new StageChanged(v(version), state.stageOf(v(version)), to, kind));
        }

        /** Opens a request by {@code requester} to move {@code version} into {@code to}, its report holding {@code results}. */
        RequestId request(String requester, String version, Stage to, GateResult... results) {
            Stage from = state.stageOf(v(version));
            append(requester, new PromotionRequested(v(version), from, to, new GateReport(from, to, List.of(results))));
            return new RequestId(state.model(), state.lastSequence());
        }

        <R> Committed<R> write(Principal by, PolicySnapshot policies, Command<R> command) {
            return write(by, policies, Map.of(), command);
        }

        /** Plans {@code command} as {@code by} and commits the plan the way the commit loop does. */
        <R> Committed<R> write(Principal by, PolicySnapshot policies, Map<String, Gate.Verdict> verdicts, Command<R> command) {
            return commit(by.name(), command.plan(state, policies, NOW, verdicts));
        }

        <R> Committed<R> commit(String principal, Plan<R> plan) {
            List<LogEntry> sealed = seal(principal, plan.events());
            plan.check().accept(sealed);
            fold(sealed);
            return new Committed<>(sealed, plan.outcome().apply(sealed));
        }
    }

    /** What a write appended, and how it ended. */
    record Committed<R>(List<LogEntry> entries, Outcome<R> outcome) {
        List<RegistryEvent> events() {
            return entries.stream().map(LogEntry::event).toList();
        }

        R value() {
            assertThat(outcome).isInstanceOf(Outcome.Applied.class);
            return ((Outcome.Applied<R>) outcome).value();
        }

        Outcome.Rejected<R> rejected() {
            assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
            return (Outcome.Rejected<R>) outcome;
        }
    }

    /** Runs every task on the submitting thread: gates evaluate in place, with nothing to shut down. */
    static final class DirectExecutor extends AbstractExecutorService {
        private volatile boolean shutdown;

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown = true;
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
