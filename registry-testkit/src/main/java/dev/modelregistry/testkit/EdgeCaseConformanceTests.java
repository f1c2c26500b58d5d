package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelregistry.AccessPolicy;
import dev.modelregistry.Action;
import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.CanonicalEvaluationSetChanged;
import dev.modelregistry.ComparisonReport;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.Grant;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Registration;
import dev.modelregistry.Stage;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRegistered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The edge cases part of the conformance suite: values that are easy to lose on the way to storage
 * and back (empty strings, lists and maps), access policies built from any kind of list, and a
 * canonical evaluation set locked before the model's first version.
 */
public abstract class EdgeCaseConformanceTests extends MissingModelConformanceTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    // =====================================================================================
    @Nested
    @DisplayName("empty values")
    class EmptyValues {

        @Test
        @DisplayName("an empty label value, run parameter, list and map are kept exactly, read by another registry and through its indexes")
        void keptExactly() {
            ModelVersion registered = registry.register(ALICE, Registration.of(MODEL).version("1.0.0")
                    .label("team", "risk").label("note", "")
                    .trainingRun("run-7", Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T01:00:00Z"),
                            Map.of("seed", "42", "comment", ""))
                    .hyperparameter("layers", List.of())
                    .hyperparameter("optimizer", Map.of())
                    .hyperparameter("name", "")
                    .hyperparameter("schedule", Map.of("warmup", List.of(), "notes", "", "extra", Map.of()))
                    .build());
            assertEmptiesKept(registered);

            // A registry opened afresh answers a first read from the backend's own indexes where it has them.
            ModelRegistry indexed = newRegistry();
            assertThat(indexed.findVersion(MODEL, v("1.0.0"))).hasValueSatisfying(this::assertEmptiesKept).contains(registered);
            assertThat(newRegistry().search(MODEL, VersionQuery.builder().label("note", "").build()).items())
                    .singleElement().isEqualTo(registered);
            assertThat(newRegistry().search(MODEL, VersionQuery.builder().label("note", "x").build()).items()).isEmpty();

            // One that has folded the log answers from it.
            ModelRegistry folded = newRegistry();
            assertThat(folded.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.NONE);
            assertThat(folded.getVersion(MODEL, v("1.0.0"))).satisfies(this::assertEmptiesKept).isEqualTo(registered);
            assertThat(folded.resolve(MODEL + "@latest")).isEqualTo(registered);

            assertThat(registry.verify().intact()).isTrue();
            assertThat(newRegistry().verify().intact()).isTrue();
        }

        private void assertEmptiesKept(ModelVersion v) {
            assertThat(v.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "risk", "note", ""));
            assertThat(v.provenance().run().parameters()).containsExactlyInAnyOrderEntriesOf(Map.of("seed", "42", "comment", ""));
            assertThat(v.hyperparameters()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "layers", JSON.valueToTree(List.of()),
                    "optimizer", JSON.valueToTree(Map.of()),
                    "name", JSON.valueToTree(""),
                    "schedule", JSON.valueToTree(Map.of("warmup", List.of(), "notes", "", "extra", Map.of()))));
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("access policies")
    class AccessPolicies {

        @Test
        @DisplayName("accept roles from another policy, List.of, List.copyOf and ArrayList alike, and keep them across registries")
        void anyList() {
            assertThat(new AccessPolicy(AccessPolicy.standardRoles().roles(), false)).isEqualTo(AccessPolicy.standardRoles());
            AccessPolicy immutable = new AccessPolicy(Map.of(
                    "viewer", List.of(Grant.of(Action.READ)),
                    "admin", List.copyOf(List.of(Grant.of(Action.MANAGE_ACCESS), Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING)))), false);
            AccessPolicy mutable = new AccessPolicy(Map.of(
                    "viewer", new ArrayList<>(List.of(Grant.of(Action.READ))),
                    "admin", new ArrayList<>(List.of(Grant.of(Action.MANAGE_ACCESS), Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING)))), false);
            assertThat(immutable).isEqualTo(mutable);
            assertThat(Grant.of(Action.PROMOTE, "*", Stage.STAGING, Stage.STAGING)).isEqualTo(Grant.of(Action.PROMOTE, "*", Stage.STAGING));

            registry.setAccessPolicy(ADMIN, immutable, "roles from immutable lists");
            assertThat(newRegistry().accessPolicy()).isEqualTo(mutable);
            assertThat(new AccessPolicy(newRegistry().accessPolicy().roles(), false)).isEqualTo(immutable);
        }

        @Test
        @DisplayName("refuse a null grant, list or stage with a ValidationException naming the role and the problem, and change nothing")
        void nulls() {
            List<Grant> withNull = new ArrayList<>(List.of(Grant.of(Action.READ)));
            withNull.add(null);
            assertThatThrownBy(() -> new AccessPolicy(Map.of("viewer", withNull), false)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("viewer").hasMessageContaining("null grant").hasMessageContaining("index 1");
            assertThatThrownBy(() -> new AccessPolicy(Map.of("viewer", Arrays.asList(null, Grant.of(Action.READ))), false))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("viewer").hasMessageContaining("index 0");
            Map<String, List<Grant>> nullList = new HashMap<>();
            nullList.put("viewer", null);
            assertThatThrownBy(() -> new AccessPolicy(nullList, false)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("viewer").hasMessageContaining("null");
            assertThatThrownBy(() -> registry.setAccessPolicy(ADMIN, AccessPolicy.builder().role("viewer", Grant.of(Action.READ), null).build(), ""))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("viewer").hasMessageContaining("null grant");
            assertThatThrownBy(() -> Grant.of(Action.PROMOTE, "fraud-*", Stage.STAGING, null)).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("PROMOTE").hasMessageContaining("fraud-*").hasMessageContaining("null stage");
            assertThat(registry.accessPolicy()).isEqualTo(AccessPolicy.allowAll());
            assertThat(newRegistry().accessPolicy()).isEqualTo(AccessPolicy.allowAll());
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("the canonical evaluation set")
    class CanonicalEvaluationSet {

        @Test
        @DisplayName("refuses a dataset reference without an exact version, naming it, and changes nothing")
        void inexact() {
            DatasetRef inexact = DatasetRef.unversioned("s3://data/holdout");
            assertThatThrownBy(() -> registry.setCanonicalEvaluationSet(ALICE, MODEL, inexact, "")).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("s3://data/holdout").hasMessageContaining("exact");
            register(MODEL, "1.0.0");
            int before = logLength(MODEL);
            assertThatThrownBy(() -> registry.setCanonicalEvaluationSet(ALICE, MODEL, inexact, "")).isInstanceOf(ValidationException.class);
            ModelRegistry fresh = newRegistry();
            assertThat(fresh.findCanonicalEvaluationSet(MODEL)).isEmpty();
            assertThat(fresh.findModel(MODEL).orElseThrow().logLength()).isEqualTo(before);
            assertThat(fresh.models()).containsExactly(ModelName.of(MODEL));
        }

        @Test
        @DisplayName("may be locked before the model's first version, creating its log; evaluations are then recorded on it and comparisons default to it")
        void beforeFirstVersion() {
            registry.setCanonicalEvaluationSet(ALICE, MODEL, HOLDOUT, "holdout v3 is the reference before training starts");
            ModelRegistry other = newRegistry();
            assertThat(other.findCanonicalEvaluationSet(MODEL)).contains(HOLDOUT);
            assertThat(other.models()).containsExactly(ModelName.of(MODEL));
            assertThat(other.findModel(MODEL)).hasValueSatisfying(s -> {
                assertThat(s.versionCount()).isZero();
                assertThat(s.highestVersion()).isNull();
            });
            assertThat(other.findLatest(MODEL)).isEmpty();
            assertThatThrownBy(() -> other.recordEvaluation(ALICE, MODEL, v("1.0.0"), Evaluation.of(HOLDOUT, Map.of("auc", 0.9)), ""))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("1.0.0");
            assertThatThrownBy(() -> other.setCanonicalEvaluationSet(ALICE, MODEL, HOLDOUT, ""))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining(HOLDOUT.id());

            other.register(ALICE, Registration.of(MODEL).version("1.0.0").build());
            register(MODEL, "1.1.0");
            registry.recordEvaluation(ALICE, MODEL, v("1.0.0"), Evaluation.of(HOLDOUT, Map.of("auc", 0.90)), "nightly");
            other.recordEvaluation(ALICE, MODEL, v("1.1.0"), Evaluation.of(HOLDOUT, Map.of("auc", 0.93)), "nightly");

            ModelRegistry reader = newRegistry();
            assertThat(reader.findEvaluation(MODEL, v("1.1.0"), HOLDOUT)).map(e -> e.metrics().get("auc")).contains(0.93);
            ComparisonReport report = reader.compare(MODEL, v("1.0.0"), v("1.1.0"));
            assertThat(report.evaluationSet()).isEqualTo(HOLDOUT);
            assertThat(report.metrics()).singleElement().satisfies(m -> assertThat(m.metric()).isEqualTo("auc"));
            assertThat(reader.log(MODEL)).extracting(LogEntry::event).extracting(e -> e.getClass().getSimpleName()).startsWith(
                    ModelCreated.class.getSimpleName(), CanonicalEvaluationSetChanged.class.getSimpleName(),
                    VersionRegistered.class.getSimpleName(), VersionRegistered.class.getSimpleName());
            assertThat(reader.verify().intact()).isTrue();
        }
    }
}
