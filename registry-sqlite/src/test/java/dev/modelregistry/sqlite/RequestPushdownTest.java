package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelName;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.GateSpec;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open requests answered from the {@code open_requests} table ({@code SupportsRequestQueries})
 * against the core's fold of the same logs: requests still open with and without decisions, and
 * requests closed every way (rejected, completed, withdrawn, closed because the candidate moved).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("open promotion requests answered from their table")
class RequestPushdownTest {
    static final Principal ALICE = Principal.of("alice", "data-scientist");
    static final Principal MARIA = Principal.of("maria", "approver", "qa");
    static final Principal LI = Principal.of("li", "approver", "qa");
    static final List<String> MODELS = List.of("m0", "m1", "m2", "m3", "m4");

    @TempDir
    static Path dir;
    private ModelRegistry writer;
    private ModelRegistry folded;

    @BeforeAll
    void generate() {
        writer = SqliteRegistry.open(dir);
        populate(writer);
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE))) {
            InMemoryEventStore copy = new InMemoryEventStore();
            for (ModelName model : store.models()) {
                copy.append(model, 0, store.read(model, 1));
            }
            folded = ModelRegistry.builder().eventStore(copy).build();
        }
    }

    /**
     * Versions with lineage, and requests in every state: entering Staging waits for one approval by
     * {@code qa}, entering Production for two by {@code approver}.
     */
    static void populate(ModelRegistry writer) {
        writer.setGatePolicy(Principal.of("root", "admin"), GatePolicy.builder()
                .transition(Stage.NONE, Stage.STAGING, new GateSpec.ManualApproval("qa-sign-off", 1, "qa", true, false))
                .transition(Stage.STAGING, Stage.PRODUCTION, new GateSpec.ManualApproval("release", 2, "approver", true, false))
                .build(), "two-step review");
        DatasetRef shared = DatasetRef.gitCommit("s3://lake/tx", "3f2c1e0");
        for (String model : MODELS) {
            for (int v = 1; v <= 3; v++) {
                Registration.Builder r = Registration.of(model).version("1." + v + ".0").dataset(shared)
                        .code("https://git.example/" + model, "c" + v, "train.py");
                if (v > 1) {
                    r.parent(model, SemVer.parse("1." + (v - 1) + ".0"), "fine-tune");
                }
                if (!model.equals("m0")) {
                    r.parent("m0", SemVer.parse("1.1.0"), "distillation");
                }
                writer.register(ALICE, r.build());
            }
        }
        // m0: 1.1.0 approved into Staging, then asked into Production with one of two approvals so far;
        // 1.2.0 asked into Staging.
        PromotionRequest staging = request(writer, "m0", "1.1.0", Stage.STAGING);
        assertThat(writer.approve(MARIA, staging.id(), "qa ok").applied()).isTrue();
        PromotionRequest production = request(writer, "m0", "1.1.0", Stage.PRODUCTION);
        assertThat(writer.approve(MARIA, production.id(), "one of two").applied()).isFalse();
        request(writer, "m0", "1.2.0", Stage.STAGING);
        // m1: rejected, completed, withdrawn.
        writer.reject(MARIA, request(writer, "m1", "1.1.0", Stage.STAGING).id(), "no");
        writer.approve(LI, request(writer, "m1", "1.2.0", Stage.STAGING).id(), "yes");
        writer.withdraw(ALICE, request(writer, "m1", "1.3.0", Stage.STAGING).id(), "found a bug");
        // m3: closed because the candidate was archived; another one open.
        request(writer, "m3", "1.1.0", Stage.STAGING);
        writer.promote(ALICE, "m3", SemVer.parse("1.1.0"), Stage.ARCHIVED, "superseded");
        request(writer, "m3", "1.2.0", Stage.STAGING);
        // m4: open, no decision yet.
        request(writer, "m4", "1.3.0", Stage.STAGING);
    }

    private static PromotionRequest request(ModelRegistry writer, String model, String version, Stage to) {
        PromotionResult result = writer.promote(ALICE, model, SemVer.parse(version), to, "please");
        return result.pendingRequest().orElseThrow();
    }

    @AfterAll
    void close() {
        writer.close();
        folded.close();
    }

    @Test
    @DisplayName("a freshly opened registry lists open requests, per model and per awaited role, as the fold does, reading no model's log")
    void sameAsTheFold() {
        CountingStore counting = new CountingStore(SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE)));
        try (ModelRegistry fresh = ModelRegistry.builder().eventStore(counting).build()) {
            int open = 0;
            for (String model : MODELS) {
                assertThat(fresh.openRequests(model)).as(model).isEqualTo(folded.openRequests(model));
                open += fresh.openRequests(model).size();
            }
            assertThat(open).isEqualTo(4);
            for (String role : List.of("qa", "approver", "viewer")) {
                assertThat(fresh.openRequestsAwaiting(role)).as(role).isEqualTo(folded.openRequestsAwaiting(role));
            }
            assertThat(fresh.openRequestsAwaiting("qa")).hasSize(3);
            assertThat(fresh.openRequestsAwaiting("approver")).hasSize(1);
            assertThatThrownBy(() -> fresh.openRequests("ghost")).isInstanceOf(NotFoundException.class);
            assertThat(counting.modelLogsRead()).isEmpty();
        }
    }

    @Test
    @DisplayName("keeps each open request with its decisions and its latest gate report, and only the models that have one")
    void tableContents() {
        try (SqliteEventStore store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE))) {
            assertThat(store.modelsWithOpenRequests()).containsExactly(ModelName.of("m0"), ModelName.of("m3"), ModelName.of("m4"));
            // The store only selects entries: each open request's PromotionRequested entry and the decisions on it, in log order.
            List<LogEntry> m0 = store.openRequestEntries(ModelName.of("m0"));
            List<LogEntry> requested = m0.stream().filter(e -> e.event() instanceof PromotionRequested).toList();
            assertThat(requested).extracting(e -> ((PromotionRequested) e.event()).to()).containsExactly(Stage.PRODUCTION, Stage.STAGING);
            long production = requested.get(0).sequence();
            List<LogEntry> decisions = m0.stream().filter(e -> e.event() instanceof ApprovalRecorded a && a.request() == production).toList();
            assertThat(decisions).singleElement().satisfies(a -> assertThat(a.principal()).isEqualTo("maria"));
            assertThat(m0).extracting(LogEntry::sequence).isSorted();
            List<Long> expected = store.read(ModelName.of("m0"), 1).stream()
                    .filter(e -> e.sequence() == production || e.sequence() == requested.get(1).sequence()
                            || e.event() instanceof ApprovalRecorded a && (a.request() == production || a.request() == requested.get(1).sequence()))
                    .map(LogEntry::sequence).toList();
            assertThat(m0).extracting(LogEntry::sequence).isEqualTo(expected);
            assertThat(store.openRequestEntries(ModelName.of("m1"))).isEmpty();
            assertThat(store.openRequestEntries(ModelName.of("ghost"))).isEmpty();
        }
    }
}
