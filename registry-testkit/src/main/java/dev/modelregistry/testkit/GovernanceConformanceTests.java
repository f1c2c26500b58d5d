package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.GateRejectedException;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelRegistryBuilder;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.AccessDenied;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.PromotionRejected;
import dev.modelregistry.StageChanged;
import dev.modelregistry.Comparison;
import dev.modelregistry.Gate;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GatePolicyChanged;
import dev.modelregistry.AccessPolicyChanged;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.GateReport;
import dev.modelregistry.GateSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The governance part of the conformance suite: the gate engine through promotions, promotion
 * requests and approvals, role-based access, model cards and audit queries.
 */
public abstract class GovernanceConformanceTests extends CoreConformanceTests {
    protected static final DatasetRef HOLDOUT = DatasetRef.of("s3://data/holdout", "v3");
    protected static final Principal SCIENTIST = Principal.of("dana", "data-scientist");
    protected static final Principal APPROVER = Principal.of("maria", "approver");
    protected static final Principal SECOND_APPROVER = Principal.of("li", "approver");
    protected static final Principal RELEASE_MANAGER = Principal.of("rob", "release-manager");
    protected static final Principal ADMIN = Principal.of("root", "admin");
    protected static final Principal VIEWER = Principal.of("vic", "viewer");

    /** A registry over the same backend with governance settings applied by {@code configure}. */
    protected ModelRegistry governedRegistry(Consumer<ModelRegistryBuilder> configure) {
        ModelRegistryBuilder b = backend.registryBuilder().clock(clock).lifecycle(Lifecycle.defaults());
        configure.accept(b);
        return track(b.build());
    }

    private static GatePolicy productionPolicy(GateSpec... gates) {
        return GatePolicy.builder().transition(Stage.STAGING, Stage.PRODUCTION, gates).build();
    }

    private static Evaluation evaluation(double auc) {
        return new Evaluation(HOLDOUT, Map.of("auc", auc), Map.of("gender:f", Map.of("tpr", 0.80), "gender:m", Map.of("tpr", 0.82)),
                Map.of("latency_p99_ms", 12.0));
    }

    private static final GateSpec AUC_FLOOR = new GateSpec.MetricThreshold("auc-floor", "auc", Comparison.AT_LEAST, 0.85, HOLDOUT.id());
    private static final GateSpec ONE_APPROVAL = new GateSpec.ManualApproval("sign-off", 1, "approver", true, false);

    /** Registers a version by {@code author} and puts it in Staging. */
    private void staged(ModelRegistry r, Principal author, String version) {
        r.register(author, Registration.of(MODEL).version(version).build());
        r.promote(author, MODEL, v(version), Stage.STAGING, "ready");
    }

    // =====================================================================================
    @Nested
    @DisplayName("gates on a promotion")
    class Gates {

        @Test
        @DisplayName("refuse a promotion when a gate fails, record the refusal with the report, and change no stage")
        void failedGate() {
            ModelRegistry r = governedRegistry(b -> b.gatePolicy(productionPolicy(AUC_FLOOR)));
            staged(r, ALICE, "1.0.0");
            r.recordEvaluation(ALICE, MODEL, v("1.0.0"), evaluation(0.80), "nightly eval");
            assertThatThrownBy(() -> r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "ship it"))
                    .isInstanceOf(GateRejectedException.class)
                    .hasMessageContaining("auc-floor")
                    .satisfies(e -> {
                        GateReport report = ((GateRejectedException) e).report();
                        assertThat(report.outcome()).isEqualTo(GateOutcome.FAILED);
                        assertThat(report.results().get(0).figures()).containsEntry("value", 0.80).containsEntry("threshold", 0.85);
                    });
            assertThat(r.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.STAGING);
            LogEntry last = r.log(MODEL).get(r.log(MODEL).size() - 1);
            assertThat(last.event()).isInstanceOf(PromotionRejected.class);
            assertThat(((PromotionRejected) last.event()).report().outcome()).isEqualTo(GateOutcome.FAILED);
        }

        @Test
        @DisplayName("fail a metric gate, naming the sets, when the candidate was never evaluated on its set")
        void neverEvaluated() {
            ModelRegistry r = governedRegistry(b -> b.gatePolicy(productionPolicy(AUC_FLOOR)));
            staged(r, ALICE, "1.0.0");
            assertThatThrownBy(() -> r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining(HOLDOUT.id());
        }

        @Test
        @DisplayName("apply a promotion at once when every gate passes, storing the report with the stage change")
        void passedGates() {
            GateSpec noRegression = new GateSpec.NoRegression("no-regression", "auc", 0.01, true, HOLDOUT.id());
            ModelRegistry r = governedRegistry(b -> b.gatePolicy(productionPolicy(AUC_FLOOR, noRegression)));
            staged(r, ALICE, "1.0.0");
            r.recordEvaluation(ALICE, MODEL, v("1.0.0"), evaluation(0.90), "");
            PromotionResult result = r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "");
            assertThat(result.applied()).isTrue();
            assertThat(result.report().outcome()).isEqualTo(GateOutcome.PASSED);
            StageChanged stored = (StageChanged) r.log(MODEL).get(r.log(MODEL).size() - 1).event();
            assertThat(stored.report()).isEqualTo(result.report());

            staged(r, ALICE, "1.1.0");
            r.recordEvaluation(ALICE, MODEL, v("1.1.0"), evaluation(0.87), "");
            assertThatThrownBy(() -> r.promote(ALICE, MODEL, v("1.1.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining("no-regression");
            r.recordEvaluation(ALICE, MODEL, v("1.1.0"), evaluation(0.895), "re-run with the fixed feature");
            assertThat(r.promote(ALICE, MODEL, v("1.1.0"), Stage.PRODUCTION, "").applied()).isTrue();
            assertThat(r.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.1.0"));
        }

        @Test
        @DisplayName("default a gate with no evaluation set to the model's locked canonical set")
        void canonicalSet() {
            GateSpec floor = new GateSpec.MetricThreshold("auc-floor", "auc", Comparison.AT_LEAST, 0.85, null);
            ModelRegistry r = governedRegistry(b -> b.gatePolicy(productionPolicy(floor)));
            staged(r, ALICE, "1.0.0");
            r.recordEvaluation(ALICE, MODEL, v("1.0.0"), evaluation(0.9), "");
            assertThatThrownBy(() -> r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "")).isInstanceOf(GateRejectedException.class);
            r.setCanonicalEvaluationSet(ADMIN, MODEL, HOLDOUT, "holdout v3 is the reference");
            assertThat(r.findCanonicalEvaluationSet(MODEL)).contains(HOLDOUT);
            assertThat(r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "").applied()).isTrue();
        }

        @Test
        @DisplayName("run custom gates registered from code, and count one that throws or hangs as failed")
        void customGates() {
            CountDownLatch never = new CountDownLatch(1);
            ModelRegistry r = governedRegistry(b -> b
                    .customGate("shadow-ok", ctx -> Gate.Verdict.passed("shadow error rate fine", Map.of("errorRate", 0.001)))
                    .customGate("explodes", ctx -> {
                        throw new IllegalStateException("metrics service down");
                    })
                    .customGate("hangs", ctx -> {
                        never.await();
                        return Gate.Verdict.passed("unreachable", Map.of());
                    })
                    .gateTimeout(Duration.ofSeconds(2))
                    .gatePolicy(GatePolicy.builder()
                            .transition(Stage.NONE, Stage.STAGING, new GateSpec.Custom("shadow-ok"))
                            .transition(Stage.STAGING, Stage.PRODUCTION, new GateSpec.Custom("explodes"), new GateSpec.Custom("hangs"))
                            .build()));
            r.register(ALICE, Registration.of(MODEL).version("1.0.0").build());
            assertThat(r.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "").report().results().get(0).figures())
                    .containsEntry("errorRate", 0.001);
            assertThatThrownBy(() -> r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class)
                    .satisfies(e -> assertThat(((GateRejectedException) e).report().withOutcome(GateOutcome.FAILED)).hasSize(2))
                    .hasMessageContaining("metrics service down");
            assertThat(r.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.STAGING);
        }

        @Test
        @DisplayName("record a policy change as an event in the registry's own log and refuse one naming an unregistered custom gate")
        void policyChanges() {
            GatePolicy policy = productionPolicy(AUC_FLOOR, ONE_APPROVAL);
            registry.setGatePolicy(ADMIN, policy, "quarterly review");
            assertThat(registry.gatePolicy()).isEqualTo(policy);
            assertThat(newRegistry().gatePolicy()).isEqualTo(policy);
            List<LogEntry> changes = registry.audit(AuditQuery.builder().eventType(GatePolicyChanged.class).build());
            assertThat(changes).singleElement().satisfies(e -> {
                assertThat(e.model()).isEqualTo(ModelName.SYSTEM);
                assertThat(e.principal()).isEqualTo("root");
                assertThat(e.reason()).isEqualTo("quarterly review");
            });
            assertThatThrownBy(() -> registry.setGatePolicy(ADMIN, productionPolicy(new GateSpec.Custom("nobody-registered-me")), ""))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("nobody-registered-me");
            assertThat(registry.gatePolicy()).isEqualTo(policy);
            assertThat(registry.models()).doesNotContain(ModelName.SYSTEM);
            assertThat(registry.verify().intact()).isTrue();
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("promotion requests and approvals")
    class Approvals {
        private ModelRegistry r;

        @BeforeEach
        void governed() {
            r = governedRegistry(b -> b.gatePolicy(productionPolicy(AUC_FLOOR, ONE_APPROVAL)));
            staged(r, ALICE, "1.0.0");
            r.recordEvaluation(ALICE, MODEL, v("1.0.0"), evaluation(0.9), "");
        }

        private PromotionRequest requested() {
            PromotionResult result = r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "please ship");
            assertThat(result.applied()).isFalse();
            return result.pendingRequest().orElseThrow();
        }

        @Test
        @DisplayName("open a request when a manual gate is pending, listed per model and per approver role")
        void opensRequest() {
            PromotionRequest request = requested();
            assertThat(request.status()).isEqualTo(PromotionRequest.Status.OPEN);
            assertThat(request.requester()).isEqualTo("alice");
            assertThat(request.awaitingRoles()).containsExactly("approver");
            assertThat(request.report().withOutcome(GateOutcome.PENDING)).extracting(g -> g.gate()).containsExactly("sign-off");
            assertThat(r.openRequests(MODEL)).extracting(PromotionRequest::id).containsExactly(request.id());
            assertThat(r.openRequestsAwaiting("approver")).extracting(PromotionRequest::id).containsExactly(request.id());
            assertThat(r.openRequestsAwaiting("viewer")).isEmpty();
            assertThat(r.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.STAGING);
            assertThat(RequestId.parse(request.id().toString())).isEqualTo(request.id());
            assertThatThrownBy(() -> r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "again"))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining(request.id().toString());
        }

        @Test
        @DisplayName("apply the promotion atomically when the last approval arrives, re-checking every gate")
        void approvalCompletes() {
            PromotionRequest request = requested();
            clock.advance(Duration.ofMinutes(5));
            PromotionResult result = r.approve(APPROVER, request.id(), "looks good");
            assertThat(result.applied()).isTrue();
            assertThat(r.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.0.0"));
            PromotionRequest closed = r.findRequest(request.id()).orElseThrow();
            assertThat(closed.status()).isEqualTo(PromotionRequest.Status.COMPLETED);
            assertThat(closed.approvals()).singleElement().satisfies(a -> {
                assertThat(a.principal()).isEqualTo("maria");
                assertThat(a.comment()).isEqualTo("looks good");
            });
            StageChanged change = r.log(MODEL).stream().map(LogEntry::event).filter(StageChanged.class::isInstance)
                    .map(StageChanged.class::cast).filter(c -> c.to().equals(Stage.PRODUCTION)).findFirst().orElseThrow();
            assertThat(change.request()).isEqualTo(request.id().sequence());
            assertThat(r.openRequests(MODEL)).isEmpty();
        }

        @Test
        @DisplayName("refuse the author's own approval under four eyes, naming the rule, and record nothing")
        void fourEyes() {
            PromotionRequest request = requested();
            Principal authorAsApprover = Principal.of("alice", "approver");
            int before = r.log(MODEL).size();
            assertThatThrownBy(() -> r.approve(authorAsApprover, request.id(), "I approve my own model"))
                    .isInstanceOf(StateConflictException.class)
                    .hasMessageContaining("alice is the author of " + MODEL + "@1.0.0")
                    .hasMessageContaining("someone other than the author");
            assertThat(r.log(MODEL)).hasSize(before);
            assertThat(r.findRequest(request.id()).orElseThrow().approvals()).isEmpty();
            assertThat(r.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.STAGING);
            assertThat(r.approve(APPROVER, request.id(), "").applied()).isTrue();
        }

        @Test
        @DisplayName("refuse the promotion with the new report when a gate fails at approval time")
        void reevaluatedOnApproval() {
            PromotionRequest request = requested();
            r.recordEvaluation(ALICE, MODEL, v("1.0.0"), evaluation(0.70), "holdout re-scored after a label fix");
            assertThatThrownBy(() -> r.approve(APPROVER, request.id(), "ok"))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining("auc-floor");
            assertThat(r.findRequest(request.id()).orElseThrow().status()).isEqualTo(PromotionRequest.Status.REJECTED);
            assertThat(r.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.STAGING);
        }

        @Test
        @DisplayName("close a request on rejection or withdrawal, and refuse decisions on a closed one")
        void rejectAndWithdraw() {
            PromotionRequest first = requested();
            assertThat(r.reject(APPROVER, first.id(), "needs a bias review").status()).isEqualTo(PromotionRequest.Status.REJECTED);
            assertThatThrownBy(() -> r.approve(SECOND_APPROVER, first.id(), "")).isInstanceOf(StateConflictException.class)
                    .hasMessageContaining("REJECTED");
            PromotionRequest second = requested();
            assertThat(r.withdraw(ALICE, second.id(), "found a bug").status()).isEqualTo(PromotionRequest.Status.WITHDRAWN);
            assertThat(r.openRequests(MODEL)).isEmpty();
            assertThatThrownBy(() -> r.approve(APPROVER, new RequestId(ModelName.of(MODEL), 999), ""))
                    .isInstanceOf(dev.modelregistry.NotFoundException.class);
        }

        @Test
        @DisplayName("close a request whose candidate is no longer a valid candidate")
        void staleRequest() {
            PromotionRequest request = requested();
            r.archive(ALICE, MODEL, v("1.0.0"), "superseded");
            PromotionRequest closed = r.findRequest(request.id()).orElseThrow();
            assertThat(closed.status()).isEqualTo(PromotionRequest.Status.CLOSED);
            assertThat(closed.closedBecause()).contains("ARCHIVED");
            assertThatThrownBy(() -> r.approve(APPROVER, request.id(), "")).isInstanceOf(StateConflictException.class);
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("access control")
    class Access {
        private ModelRegistry r;

        @BeforeEach
        void governed() {
            r = governedRegistry(b -> b.accessPolicy(AccessPolicy.standardRoles()));
        }

        @Test
        @DisplayName("deny an action the principal's roles do not grant, naming principal, action and target, and record it")
        void denial() {
            r.register(SCIENTIST, Registration.of(MODEL).version("1.0.0").build());
            int before = r.log(MODEL).size();
            assertThatThrownBy(() -> r.register(VIEWER, Registration.of(MODEL).version("1.1.0").build()))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("vic").hasMessageContaining("REGISTER").hasMessageContaining(MODEL)
                    .satisfies(e -> assertDenied(e, "vic", Action.REGISTER, MODEL));
            assertThat(r.findVersion(MODEL, v("1.1.0"))).isEmpty();
            List<LogEntry> log = r.log(MODEL);
            assertThat(log).hasSize(before + 1);
            assertThat(log.get(log.size() - 1).event()).isEqualTo(new AccessDenied(Action.REGISTER, MODEL, Set.of("viewer")));
            assertThat(log.get(log.size() - 1).principal()).isEqualTo("vic");
            assertThatThrownBy(() -> r.register(VIEWER, Registration.of("brand-new").version("1.0.0").build()))
                    .isInstanceOf(AccessDeniedException.class);
            assertThat(r.models()).containsExactly(ModelName.of(MODEL));
            assertThat(r.audit(AuditQuery.builder().outcome(AuditQuery.Outcome.DENIED).build()))
                    .extracting(LogEntry::model).containsExactlyInAnyOrder(ModelName.of(MODEL), ModelName.SYSTEM);
            assertThatThrownBy(() -> r.setGatePolicy(SCIENTIST, GatePolicy.empty(), ""))
                    .satisfies(e -> assertDenied(e, "dana", Action.CHANGE_POLICY, "the registry"));
            assertThatThrownBy(() -> r.archive(VIEWER, MODEL, v("1.0.0"), ""))
                    .satisfies(e -> assertDenied(e, "vic", Action.ARCHIVE, MODEL + " into ARCHIVED"));
        }

        /** The denial names who was refused, what they tried, and on what (with the stage for a stage change). */
        private void assertDenied(Throwable e, String principal, Action action, String target) {
            assertThat(e).isInstanceOf(AccessDeniedException.class);
            AccessDeniedException denied = (AccessDeniedException) e;
            assertThat(denied.principal()).isEqualTo(principal);
            assertThat(denied.action()).isEqualTo(action);
            assertThat(denied.target()).isEqualTo(target);
        }

        @Test
        @DisplayName("let a principal who may only request a promotion into Production wait for a release approval")
        void requestOnly() {
            staged(r, SCIENTIST, "1.0.0");
            PromotionResult result = r.promote(SCIENTIST, MODEL, v("1.0.0"), Stage.PRODUCTION, "please");
            assertThat(result.applied()).isFalse();
            PromotionRequest request = result.pendingRequest().orElseThrow();
            assertThat(request.awaitingRoles()).contains("approver", "admin");
            assertThatThrownBy(() -> r.approve(SCIENTIST, request.id(), "self")).isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> r.withdraw(VIEWER, request.id(), "not mine")).isInstanceOf(AccessDeniedException.class);
            assertThat(r.approve(APPROVER, request.id(), "ok").applied()).isTrue();
            assertThat(r.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.0.0"));
        }

        @Test
        @DisplayName("follow the documented standard roles across the whole role x action matrix")
        void matrix() {
            Map<String, Set<Action>> expected = Map.of(
                    "viewer", EnumSet.of(Action.READ),
                    "data-scientist", EnumSet.of(Action.READ, Action.REGISTER, Action.ANNOTATE, Action.REQUEST_PROMOTION),
                    "approver", EnumSet.of(Action.READ, Action.APPROVE),
                    "release-manager", EnumSet.of(Action.READ, Action.ANNOTATE, Action.PROMOTE, Action.ROLLBACK, Action.ARCHIVE),
                    "admin", EnumSet.allOf(Action.class));
            AccessPolicy policy = r.accessPolicy();
            for (Map.Entry<String, Set<Action>> role : expected.entrySet()) {
                Principal p = Principal.of("someone", role.getKey());
                for (Action action : Action.values()) {
                    boolean allowedIntoProduction = policy.allows(p, action, ModelName.of(MODEL), Stage.PRODUCTION);
                    assertThat(allowedIntoProduction).as("%s %s", role.getKey(), action).isEqualTo(role.getValue().contains(action));
                }
            }
            assertThat(policy.allows(SCIENTIST, Action.PROMOTE, ModelName.of(MODEL), Stage.STAGING)).isTrue();

            // Every mutating call, tried by every role through the API.
            for (String role : expected.keySet()) {
                Principal p = Principal.of("actor-" + role, role);
                String model = "m-" + role;
                r.register(ADMIN, Registration.of(model).version("1.0.0").build());
                r.register(ADMIN, Registration.of(model).version("1.1.0").build());
                r.promote(ADMIN, model, v("1.0.0"), Stage.STAGING, "");
                r.promote(ADMIN, model, v("1.0.0"), Stage.PRODUCTION, "");
                r.promote(ADMIN, model, v("1.1.0"), Stage.STAGING, "");
                r.register(ADMIN, Registration.of(model).version("0.9.0").build());
                Set<Action> allowed = expected.get(role);
                attempt(allowed.contains(Action.REGISTER), () -> r.register(p, Registration.of(model).version("2.0.0").build()));
                attempt(allowed.contains(Action.ANNOTATE), () -> r.recordEvaluation(p, model, v("1.0.0"), evaluation(0.9), ""));
                attempt(allowed.contains(Action.PROMOTE) || allowed.contains(Action.REQUEST_PROMOTION),
                        () -> r.promote(p, model, v("1.1.0"), Stage.PRODUCTION, ""));
                attempt(allowed.contains(Action.ARCHIVE), () -> r.archive(p, model, v("0.9.0"), ""));
                attempt(allowed.contains(Action.CHANGE_POLICY), () -> r.setGatePolicy(p, GatePolicy.empty(), ""));
                attempt(allowed.contains(Action.MANAGE_ACCESS), () -> r.setAccessPolicy(p, AccessPolicy.standardRoles(), ""));
            }
            for (String role : expected.keySet()) {
                Principal p = Principal.of("roller-" + role, role);
                String model = "r-" + role;
                r.register(ADMIN, Registration.of(model).version("1.0.0").build());
                r.register(ADMIN, Registration.of(model).version("1.1.0").build());
                for (String version : List.of("1.0.0", "1.1.0")) {
                    r.promote(ADMIN, model, v(version), Stage.STAGING, "");
                    r.promote(ADMIN, model, v(version), Stage.PRODUCTION, "");
                }
                attempt(expected.get(role).contains(Action.ROLLBACK), () -> r.rollback(p, model, Stage.PRODUCTION, ""));
                r.register(ADMIN, Registration.of(model).version("1.2.0").build());
                r.promote(ADMIN, model, v("1.2.0"), Stage.STAGING, "");
                RequestId request = r.promote(SCIENTIST, model, v("1.2.0"), Stage.PRODUCTION, "").pendingRequest().orElseThrow().id();
                attempt(expected.get(role).contains(Action.APPROVE), () -> r.approve(p, request, ""));
            }
            assertThat(r.verify().intact()).isTrue();
        }

        private void attempt(boolean allowed, Runnable call) {
            if (allowed) {
                call.run();
            } else {
                assertThatThrownBy(call::run).isInstanceOf(AccessDeniedException.class);
            }
        }

        @Test
        @DisplayName("scope grants by model-name pattern and stage, and record access policy changes")
        void scopedGrants() {
            AccessPolicy scoped = AccessPolicy.builder()
                    .role("fraud-team", dev.modelregistry.Grant.of(Action.REGISTER, "fraud-*"),
                            dev.modelregistry.Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING))
                    .role("admin", dev.modelregistry.Grant.of(Action.MANAGE_ACCESS))
                    .build();
            r.setAccessPolicy(ADMIN, scoped, "team-scoped access");
            Principal fraud = Principal.of("fred", "fraud-team");
            r.register(fraud, Registration.of("fraud-detector").version("1.0.0").build());
            assertThatThrownBy(() -> r.register(fraud, Registration.of("churn").version("1.0.0").build()))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining("churn");
            r.promote(fraud, "fraud-detector", v("1.0.0"), Stage.STAGING, "");
            assertThatThrownBy(() -> r.promote(fraud, "fraud-detector", v("1.0.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining("PRODUCTION")
                    .satisfies(e -> assertDenied(e, "fred", Action.PROMOTE, "fraud-detector into PRODUCTION"));
            assertThat(newRegistry().accessPolicy()).isEqualTo(scoped);
            assertThat(r.audit(AuditQuery.builder().eventType(AccessPolicyChanged.class).build())).hasSize(1);
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("model cards and documentation")
    class ModelCards {

        private final ModelCard card = ModelCard.builder()
                .intendedUse("Score card-not-present transactions for fraud review.")
                .limitations("Not calibrated for merchants onboarded in the last 30 days.")
                .trainingData("transactions 2023-01..2023-09")
                .owner("payments-risk@example.org")
                .section("monitoring", "Weekly drift report.")
                .build();

        @Test
        @DisplayName("attach a card at registration or later, and render it as Markdown")
        void attachAndRender() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").modelCard(card).build());
            assertThat(registry.findModelCard(MODEL, v("1.0.0"))).contains(card);
            ModelCard revised = ModelCard.builder().intendedUse("Revised.").build();
            registry.attachModelCard(BOB, MODEL, v("1.0.0"), revised, "clarified scope");
            assertThat(newRegistry().findModelCard(MODEL, v("1.0.0"))).contains(revised);
            String md = card.toMarkdown(MODEL + "@1.0.0");
            assertThat(md).startsWith("# Model card: fraud-detector@1.0.0").contains("## Intended use").contains("## Limitations")
                    .contains("- payments-risk@example.org").contains("## monitoring");
        }

        @Test
        @DisplayName("let a documentation gate require card sections, a feature list and dataset lineage")
        void documentationGate() {
            GateSpec docs = new GateSpec.Documentation("docs", List.of("intended-use", "limitations"), true, true);
            ModelRegistry r = governedRegistry(b -> b.gatePolicy(productionPolicy(docs)));
            staged(r, ALICE, "1.0.0");
            assertThatThrownBy(() -> r.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(GateRejectedException.class).hasMessageContaining("intended-use");
            r.register(ALICE, Registration.of(MODEL).version("1.1.0").modelCard(card)
                    .signature(dev.modelregistry.Signature.of(List.of(dev.modelregistry.Signature.Field.of("amount", "double")), List.of()))
                    .dataset(DatasetRef.of("s3://data/transactions", "git:3f2c1e0")).build());
            r.promote(ALICE, MODEL, v("1.1.0"), Stage.STAGING, "");
            assertThat(r.promote(ALICE, MODEL, v("1.1.0"), Stage.PRODUCTION, "").applied()).isTrue();
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("audit queries")
    class AuditQueries {

        @Test
        @DisplayName("filter the whole registry's trail by model, version, principal, event type, outcome and time, in order")
        void filters() {
            Instant start = clock.instant();
            register(MODEL, "1.0.0");
            clock.advance(Duration.ofMinutes(1));
            registry.register(BOB, Registration.of("other").version("1.0.0").build());
            clock.advance(Duration.ofMinutes(1));
            registry.promote(BOB, MODEL, v("1.0.0"), Stage.STAGING, "");
            Instant afterPromotion = clock.advance(Duration.ofMinutes(1));
            registry.register(ALICE, Registration.of(MODEL).version("1.1.0").build());

            assertThat(registry.audit(AuditQuery.all())).hasSize(6)
                    .extracting(LogEntry::time).isSorted();
            assertThat(registry.audit(AuditQuery.builder().principal("bob").build()))
                    .extracting(e -> e.event().getClass().getSimpleName())
                    .containsExactly("ModelCreated", "VersionRegistered", "StageChanged");
            assertThat(registry.audit(AuditQuery.builder().model(MODEL).version(v("1.0.0")).build())).hasSize(2);
            assertThat(registry.audit(AuditQuery.builder().eventType(VersionRegistered.class).between(start.plusSeconds(30), afterPromotion).build()))
                    .extracting(LogEntry::model).containsExactly(ModelName.of("other"));
            assertThat(registry.audit(AuditQuery.builder().eventType(AuditQuery.eventTypeNamed("StageChanged")).build()))
                    .extracting(LogEntry::event).singleElement().isInstanceOf(StageChanged.class);
            assertThatThrownBy(() -> AuditQuery.eventTypeNamed("StageChange")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("\"StageChange\"").hasMessageContaining("StageChanged").hasMessageContaining("AccessDenied");
            assertThat(registry.audit(AuditQuery.builder().outcome(AuditQuery.Outcome.DENIED).build())).isEmpty();
            assertThatThrownBy(() -> AuditQuery.builder().between(afterPromotion, start)).isInstanceOf(ValidationException.class);
        }

        @Test
        @DisplayName("export the trail as JSON Lines that read back as the same entries")
        void export() {
            register(MODEL, "1.0.0");
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "");
            StringBuilder out = new StringBuilder();
            long written = registry.exportAudit(AuditQuery.all(), out);
            String[] lines = out.toString().split("\n");
            assertThat(written).isEqualTo(3).isEqualTo(lines.length);
            List<LogEntry> read = new ArrayList<>();
            for (String line : lines) {
                read.add(EventCodec.fromJson(line));
            }
            assertThat(read).isEqualTo(registry.log(MODEL));
        }
    }
}
