package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.modelregistry.Evaluation;
import dev.modelregistry.InvalidNameException;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NodeId;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Registration;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.SigningKey;
import dev.modelregistry.Stage;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The part of the conformance suite that holds the API to its one rule for a model that does not
 * exist (see {@link ModelRegistry}): {@code find…} reads return empty, every other read naming it
 * throws {@link NotFoundException}, and so does every write except the two that create a model's
 * log. Each read is tried on the registry that wrote the other models and on one opened afresh,
 * which a backend with its own indexes answers from them.
 */
public abstract class MissingModelConformanceTests extends LineageConformanceTests {
    private static final String GHOST = "ghost";
    private static final SemVer V1 = SemVer.parse("1.0.0");
    private static final SemVer V2 = SemVer.parse("1.1.0");

    /** The registry that wrote, and one opened afresh, each with a name for test names. */
    private Map<String, ModelRegistry> readers() {
        Map<String, ModelRegistry> readers = new LinkedHashMap<>();
        readers.put("", registry);
        readers.put(" (a registry opened afresh)", newRegistry());
        return readers;
    }

    // =====================================================================================
    @Nested
    @DisplayName("a model that does not exist")
    class MissingModel {

        @BeforeEach
        void anotherModelExists() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").tag("champion")
                    .artifact("model.bin", "application/octet-stream", new byte[] {1, 2, 3}).build());
            registry.promote(ALICE, MODEL, V1, Stage.STAGING, "");
        }

        @Test
        @DisplayName("find… reads return empty")
        void findsAreEmpty() {
            readers().forEach((which, r) -> {
                assertThat(r.findModel(GHOST)).as("findModel" + which).isEmpty();
                assertThat(r.findVersion(GHOST, V1)).as("findVersion" + which).isEmpty();
                assertThat(r.findByTag(GHOST, "champion")).as("findByTag" + which).isEmpty();
                assertThat(r.findHighest(GHOST, VersionRange.parse("*"))).as("findHighest" + which).isEmpty();
                assertThat(r.findLatest(GHOST)).as("findLatest" + which).isEmpty();
                assertThat(r.findCurrent(GHOST, Stage.STAGING)).as("findCurrent" + which).isEmpty();
                assertThat(r.findCurrentAt(GHOST, Stage.STAGING, clock.instant())).as("findCurrentAt" + which).isEmpty();
                assertThat(r.findEvaluation(GHOST, V1, HOLDOUT)).as("findEvaluation" + which).isEmpty();
                assertThat(r.findModelCard(GHOST, V1)).as("findModelCard" + which).isEmpty();
                assertThat(r.findCanonicalEvaluationSet(GHOST)).as("findCanonicalEvaluationSet" + which).isEmpty();
                assertThat(r.findRequest(new RequestId(ModelName.of(GHOST), 1))).as("findRequest" + which).isEmpty();
            });
        }

        @TestFactory
        @DisplayName("every other read naming it throws NotFoundException naming the model")
        Stream<DynamicTest> otherReadsThrow() {
            Path target = tempDir.resolve("downloaded.bin");
            return readers().entrySet().stream().flatMap(reader -> readsNaming(reader.getValue(), target).entrySet().stream()
                    .map(read -> dynamicTest(read.getKey() + reader.getKey(), () -> {
                        assertThatThrownBy(read.getValue()).isInstanceOf(NotFoundException.class).hasMessageContaining(GHOST);
                        assertThat(target).doesNotExist();
                    })));
        }

        private Map<String, ThrowingCallable> readsNaming(ModelRegistry r, Path target) {
            Map<String, ThrowingCallable> reads = new LinkedHashMap<>();
            reads.put("getVersion", () -> r.getVersion(GHOST, V1));
            reads.put("getCurrent", () -> r.getCurrent(GHOST, Stage.STAGING));
            reads.put("resolve of latest", () -> r.resolve(GHOST + "@latest"));
            reads.put("resolve of a stage", () -> r.resolve(GHOST + "@staging"));
            reads.put("resolve of a version", () -> r.resolve(GHOST + "@1.0.0"));
            reads.put("resolve of a range", () -> r.resolve(GHOST + "@^1.0"));
            reads.put("resolve of a tag", () -> r.resolve(GHOST + "@champion"));
            reads.put("stageOf", () -> r.stageOf(GHOST, V1));
            reads.put("versionsIn", () -> r.versionsIn(GHOST, Stage.STAGING));
            reads.put("search", () -> r.search(GHOST, VersionQuery.all()));
            reads.put("stageHistory", () -> r.stageHistory(GHOST));
            reads.put("openRequests", () -> r.openRequests(GHOST));
            reads.put("evaluations", () -> r.evaluations(GHOST, V1));
            reads.put("latestEvaluations", () -> r.latestEvaluations(GHOST, V1));
            reads.put("signatures", () -> r.signatures(GHOST, V1));
            reads.put("upstream", () -> r.upstream(GHOST, V1, LineageQuery.unlimited()));
            reads.put("openLineageEvent", () -> r.openLineageEvent(GHOST, V1, "ns"));
            reads.put("compare on a named set", () -> r.compare(GHOST, V1, V2, HOLDOUT, 0.0));
            reads.put("compare on the canonical set", () -> r.compare(GHOST, V1, V2));
            reads.put("diff", () -> r.diff(GHOST, V1, V2));
            reads.put("manifest", () -> r.manifest(GHOST, V1));
            reads.put("openArtifact", () -> r.openArtifact(GHOST, V1, "model.bin"));
            reads.put("downloadArtifact", () -> r.downloadArtifact(GHOST, V1, "model.bin", target));
            reads.put("log", () -> r.log(GHOST));
            reads.put("log from a sequence", () -> r.log(GHOST, 2));
            reads.put("verify of the model", () -> r.verify(GHOST));
            return reads;
        }

        @Test
        @DisplayName("reads that name no model leave it out: models() does not list it, nothing downstream used a version of it")
        void readsNamingNoModel() {
            readers().forEach((which, r) -> {
                assertThat(r.models()).as("models" + which).containsExactly(ModelName.of(MODEL));
                assertThat(r.downstream(NodeId.version(GHOST, V1), LineageQuery.unlimited())).as("downstream" + which).isEmpty();
                assertThat(r.openRequestsAwaiting("approver")).as("openRequestsAwaiting" + which).isEmpty();
                assertThat(r.lineage().findNode(NodeId.version(GHOST, V1))).as("lineage" + which).isEmpty();
            });
        }

        @TestFactory
        @DisplayName("a write to it throws NotFoundException naming the model and creates nothing")
        Stream<DynamicTest> writesThrow() {
            RequestId request = new RequestId(ModelName.of(GHOST), 2);
            Map<String, ThrowingCallable> writes = new LinkedHashMap<>();
            writes.put("promote", () -> registry.promote(ALICE, GHOST, V1, Stage.STAGING, ""));
            writes.put("archive", () -> registry.archive(ALICE, GHOST, V1, ""));
            writes.put("rollback to the previous holder", () -> registry.rollback(ALICE, GHOST, Stage.PRODUCTION, ""));
            writes.put("rollback to a named version", () -> registry.rollback(ALICE, GHOST, Stage.PRODUCTION, V1, ""));
            writes.put("recordEvaluation", () -> registry.recordEvaluation(ALICE, GHOST, V1, Evaluation.of(HOLDOUT, Map.of("auc", 0.9)), ""));
            writes.put("attachModelCard", () -> registry.attachModelCard(ALICE, GHOST, V1, ModelCard.builder().intendedUse("x").build(), ""));
            writes.put("sign", () -> registry.sign(ALICE, GHOST, V1, SigningKey.generate("release")));
            writes.put("approve", () -> registry.approve(ALICE, request, ""));
            writes.put("reject", () -> registry.reject(ALICE, request, ""));
            writes.put("withdraw", () -> registry.withdraw(ALICE, request, ""));
            return writes.entrySet().stream().map(write -> dynamicTest(write.getKey(), () -> {
                assertThatThrownBy(write.getValue()).isInstanceOf(NotFoundException.class).hasMessageContaining(GHOST);
                ModelRegistry fresh = newRegistry();
                assertThat(fresh.models()).containsExactly(ModelName.of(MODEL));
                assertThat(fresh.findModel(GHOST)).isEmpty();
                assertThat(fresh.verify().intact()).isTrue();
            }));
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("resolving a reference")
    class ResolvingReferences {

        @BeforeEach
        void taggedVersion() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").tag("champion").build());
        }

        @Test
        @DisplayName("reads a valid name that is no stage, version or range as a tag; one that no version carries is NotFoundException")
        void absentTag() {
            assertThat(registry.resolve(MODEL + "@champion").version()).isEqualTo(V1);
            for (String tag : List.of("some-tag", "canary", "nightly_build.7")) {
                String reference = MODEL + "@" + tag;
                readers().forEach((which, r) -> assertThatThrownBy(() -> r.resolve(reference)).as(reference + which)
                        .isInstanceOf(NotFoundException.class).hasMessageContaining(reference));
            }
        }

        @Test
        @DisplayName("refuses a malformed reference with a ValidationException naming it, whether or not the model exists")
        void malformed() {
            for (String reference : List.of(MODEL, "@production", MODEL + "@", MODEL + "@not a selector!", GHOST + "@not a selector!",
                    GHOST + "@", GHOST + "@>=1.0.0 <")) {
                readers().forEach((which, r) -> assertThatThrownBy(() -> r.resolve(reference)).as(reference + which)
                        .isInstanceOf(ValidationException.class).hasMessageContaining(reference));
            }
            assertThatThrownBy(() -> registry.resolve("bad/name@1.0.0")).isInstanceOf(InvalidNameException.class)
                    .hasMessageContaining("bad/name@1.0.0");
            assertThatThrownBy(() -> registry.resolve(null)).isInstanceOf(ValidationException.class);
        }
    }
}
