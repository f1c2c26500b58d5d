package dev.modelregistry.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.Registration;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.spi.SupportsRequestQueries;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The equivalence suite of {@link SupportsRequestQueries}: over a {@link GeneratedHistory}, the
 * store selects exactly the entries of the open requests (each one's {@code PromotionRequested}
 * entry and the decisions on it, in log order) and the models that have one, and a freshly opened
 * registry, folding what the store selects, lists open requests per model and per awaited role as
 * the core's fold of whole logs does. Every backend that implements the capability extends it.
 */
public abstract class RequestPushdownTests extends PushdownFixture {
    private static final List<String> ROLES = List.of("qa", "approver", "viewer");

    private SupportsRequestQueries index() {
        return capability(SupportsRequestQueries.class);
    }

    /** The sequences of the requests the fold holds open in {@code model}. */
    private Set<Long> openIds(String model) {
        return folded.openRequests(model).stream().map(r -> r.id().sequence()).collect(Collectors.toSet());
    }

    @Test
    @DisplayName("the generated history has requests open with and without decisions, and closed every way")
    void historyIsVaried() {
        int open = 0;
        for (String model : GeneratedHistory.models()) {
            open += folded.openRequests(model).size();
        }
        assertThat(open).isEqualTo(4);
        assertThat(folded.openRequests("m0")).anyMatch(r -> !r.approvals().isEmpty()).anyMatch(r -> r.approvals().isEmpty());
        List<PromotionRequest.Status> closed = folded.log("m1").stream().filter(e -> e.event() instanceof RequestClosed)
                .map(e -> ((RequestClosed) e.event()).status()).toList();
        assertThat(closed).contains(PromotionRequest.Status.REJECTED, PromotionRequest.Status.COMPLETED, PromotionRequest.Status.WITHDRAWN);
        assertThat(folded.log("m3")).anyMatch(e -> e.event() instanceof RequestClosed);
    }

    /** A freshly opened registry, or one a backend's test instruments, lists open requests as the fold does. */
    protected void assertRegistryAnswersAsTheFold(ModelRegistry registry) {
        for (String model : GeneratedHistory.models()) {
            assertThat(registry.openRequests(model)).as(model).isEqualTo(folded.openRequests(model));
        }
        for (String role : ROLES) {
            assertThat(registry.openRequestsAwaiting(role)).as(role).isEqualTo(folded.openRequestsAwaiting(role));
        }
        assertThat(registry.openRequestsAwaiting("qa")).hasSize(3);
        assertThat(registry.openRequestsAwaiting("approver")).hasSize(1);
        assertThatThrownBy(() -> registry.openRequests("ghost")).isInstanceOf(NotFoundException.class);
    }

    @Nested
    @DisplayName("the store's index")
    class Index {

        @Test
        @DisplayName("selects each open request's PromotionRequested entry and every decision on it, in log order, and nothing else")
        void selectsTheEntriesOfOpenRequests() {
            int selected = 0;
            for (ModelName model : store.models()) {
                if (model.isSystem()) {
                    continue;
                }
                Set<Long> open = openIds(model.value());
                List<LogEntry> expected = store.read(model, 1).stream()
                        .filter(e -> e.event() instanceof PromotionRequested && open.contains(e.sequence())
                                || e.event() instanceof ApprovalRecorded a && open.contains(a.request()))
                        .toList();
                assertThat(index().openRequestEntries(model)).as(model.value()).isEqualTo(expected);
                selected += expected.size();
            }
            assertThat(selected).isEqualTo(5);
            assertThat(index().openRequestEntries(ModelName.of("ghost"))).isEmpty();
        }

        @Test
        @DisplayName("lists exactly the models with an open request, in the store's order of models")
        void modelsWithOpenRequests() {
            List<ModelName> expected = store.models().stream()
                    .filter(m -> !m.isSystem() && !folded.openRequests(m.value()).isEmpty()).toList();
            assertThat(index().modelsWithOpenRequests()).isEqualTo(expected)
                    .containsExactly(ModelName.of("m0"), ModelName.of("m3"), ModelName.of("m4"));
        }
    }

    @Nested
    @DisplayName("a freshly opened registry")
    class FreshRegistry {

        @Test
        @DisplayName("lists open requests, per model and per awaited role, as the fold does")
        void sameAsTheFold() throws Exception {
            try (ModelRegistry fresh = freshRegistry()) {
                assertRegistryAnswersAsTheFold(fresh);
            }
        }

        @Test
        @DisplayName("sees requests another registry opened, decided on and closed, at once")
        void followsDecisions() throws Exception {
            try (ModelRegistry other = registryOnOwnStorage("follow"); ModelRegistry fresh = registryOnOwnStorage("follow")) {
                other.setGatePolicy(dev.modelregistry.Principal.of("root", "admin"), folded.gatePolicy(), "same review");
                other.register(GeneratedHistory.ALICE, Registration.of("late").version("1.0.0").build());
                PromotionRequest asked = other.promote(GeneratedHistory.ALICE, "late", SemVer.parse("1.0.0"), Stage.STAGING, "please")
                        .pendingRequest().orElseThrow();
                assertThat(fresh.openRequests("late")).containsExactly(asked);
                assertThat(fresh.openRequestsAwaiting("qa")).containsExactly(asked);

                other.approve(GeneratedHistory.MARIA, asked.id(), "ok");
                assertThat(fresh.openRequests("late")).isEmpty();
                assertThat(fresh.openRequestsAwaiting("qa")).isEmpty();
                assertThat(fresh.findCurrent("late", Stage.STAGING)).map(v -> v.version()).contains(SemVer.parse("1.0.0"));
            }
        }
    }
}
