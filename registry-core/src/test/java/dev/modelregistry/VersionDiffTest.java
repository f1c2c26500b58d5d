package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.modelregistry.Signature.Field;
import dev.modelregistry.VersionDiff.Group;
import dev.modelregistry.VersionDiff.Kind;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A version diff")
class VersionDiffTest {
    static final DatasetRef TRAIN_V1 = DatasetRef.deltaVersion("s3://lake/train", 41);
    static final DatasetRef TRAIN_V2 = DatasetRef.deltaVersion("s3://lake/train", 42);
    static final DatasetRef EXTRA = DatasetRef.gitCommit("s3://lake/extra", "abc");
    static final DatasetRef LEGACY = DatasetRef.gitCommit("s3://lake/legacy", "def");
    static final DatasetRef HOLDOUT = DatasetRef.deltaVersion("s3://lake/holdout", 7);

    static final ModelVersion A = new ModelVersion(ModelName.of("fraud"), SemVer.parse("1.0.0"), List.of(), "alice", Instant.EPOCH,
            "xgboost", "1.7.6", Map.of("depth", IntNode.valueOf(6), "eta", DoubleNode.valueOf(0.3), "objective", TextNode.valueOf("binary")),
            Signature.of(List.of(Field.of("amount", "double"), Field.of("country", "string")), List.of(Field.of("score", "double"))),
            Map.of(), List.of(artifact("model.json", "a"), artifact("notes.txt", "b")),
            new Provenance(new Provenance.TrainingRun("run-1", null, null, Map.of("seed", "1")),
                    new Provenance.CodeRef("https://github.com/acme/fraud", "c0ffee", "train.py"), "sha256:img1", "conda.yaml",
                    List.of(TRAIN_V1, LEGACY), List.of(HOLDOUT), List.of(),
                    new Provenance.RuntimeInfo("17.0.9", "Linux 6.1", "amd64")),
            "", Map.of("team", "risk", "tier", "gold"));

    static final ModelVersion B = new ModelVersion(ModelName.of("fraud"), SemVer.parse("2.0.0"), List.of(), "bob", Instant.EPOCH,
            "xgboost", "2.0.3", Map.of("depth", IntNode.valueOf(8), "eta", DoubleNode.valueOf(0.3), "lambda", DoubleNode.valueOf(1.5)),
            Signature.of(List.of(Field.of("amount", "float"), Field.withDefault("channel", "string")),
                    List.of(Field.of("score", "double"), Field.of("reason", "string"))),
            Map.of(), List.of(artifact("model.json", "c"), artifact("calibration.json", "d")),
            new Provenance(new Provenance.TrainingRun("run-2", null, null, Map.of("seed", "1")),
                    new Provenance.CodeRef("https://github.com/acme/fraud", "deadbeef", "train.py"), "sha256:img2", "",
                    List.of(TRAIN_V2, EXTRA), List.of(HOLDOUT),
                    List.of(new Provenance.ParentRef(ModelName.of("fraud-base"), SemVer.parse("3.1.0"), "fine-tune")),
                    new Provenance.RuntimeInfo("21.0.2", "Linux 6.1", "aarch64")),
            "", Map.of("team", "risk", "tier", "silver", "region", "eu"));

    static ArtifactRef artifact(String name, String digestChar) {
        return new ArtifactRef(name, URI.create("mem://" + name), Sha256.of(digestChar.repeat(64)), 100, null);
    }

    static final VersionDiff DIFF = VersionDiff.of(A, B);

    @Nested
    @DisplayName("lists, per group,")
    class Groups {
        @Test
        @DisplayName("hyperparameters added, removed and changed, with JSON values")
        void hyperparameters() {
            assertThat(DIFF.changes(Group.HYPERPARAMETERS)).extracting(VersionDiff.Change::key, VersionDiff.Change::kind,
                    VersionDiff.Change::before, VersionDiff.Change::after).containsExactly(
                    tuple("depth", Kind.CHANGED, "6", "8"),
                    tuple("lambda", Kind.ADDED, "", "1.5"),
                    tuple("objective", Kind.REMOVED, "\"binary\"", ""));
        }

        @Test
        @DisplayName("the signature judged by the registry's own rule: breaking and compatible changes and the bump")
        void signature() {
            assertThat(DIFF.signature().requiredBump()).isEqualTo(Bump.MAJOR);
            assertThat(DIFF.signature().breaking()).containsExactly("input \"amount\" retyped from double to float",
                    "input \"country\" removed");
            assertThat(DIFF.signature().compatible()).containsExactly("input \"channel\" added", "output \"reason\" added");
            assertThat(DIFF.changes(Group.SIGNATURE)).isEmpty();
        }

        @Test
        @DisplayName("a new version of the same dataset as one change keyed by URI, other snapshots as added or removed")
        void datasets() {
            assertThat(DIFF.changes(Group.DATASETS)).extracting(VersionDiff.Change::key, VersionDiff.Change::kind,
                    VersionDiff.Change::before, VersionDiff.Change::after).containsExactly(
                    tuple("s3://lake/extra@git:abc", Kind.ADDED, "", "s3://lake/extra@git:abc"),
                    tuple("s3://lake/legacy@git:def", Kind.REMOVED, "s3://lake/legacy@git:def", ""),
                    tuple("s3://lake/train", Kind.CHANGED, "delta:41", "delta:42"));
            assertThat(DIFF.changes(Group.EVALUATION_SETS)).isEmpty();
        }

        @Test
        @DisplayName("evaluation sets, parents and the training run")
        void provenance() {
            VersionDiff d = VersionDiff.of(A, new ModelVersion(A.model(), SemVer.parse("1.0.1"), List.of(), "", Instant.EPOCH,
                    A.framework(), A.frameworkVersion(), A.hyperparameters(), A.signature(), Map.of(), A.artifacts(),
                    new Provenance(A.provenance().run(), A.provenance().code(), "sha256:img1", "conda.yaml",
                            A.provenance().datasets(), List.of(HOLDOUT.withContentHash(Sha256.of("e".repeat(64)))), List.of(),
                            A.provenance().runtime()), "", A.labels()));

            assertThat(d.changes()).extracting(VersionDiff.Change::group, VersionDiff.Change::kind)
                    .containsExactly(tuple(Group.EVALUATION_SETS, Kind.CHANGED));
            assertThat(d.changes().get(0).after()).contains("sha256:" + "e".repeat(64));
            assertThat(DIFF.changes(Group.PARENTS)).extracting(VersionDiff.Change::key, VersionDiff.Change::after)
                    .containsExactly(tuple("fraud-base@3.1.0", "fine-tune"));
            assertThat(DIFF.changes(Group.TRAINING_RUN)).extracting(VersionDiff.Change::key, VersionDiff.Change::kind)
                    .containsExactly(tuple("id", Kind.CHANGED));
        }

        @Test
        @DisplayName("code commit, container image, environment file, framework and runtime")
        void environment() {
            assertThat(DIFF.changes(Group.CODE)).extracting(VersionDiff.Change::key, VersionDiff.Change::before, VersionDiff.Change::after)
                    .containsExactly(tuple("commit", "c0ffee", "deadbeef"));
            assertThat(DIFF.changes(Group.CONTAINER_IMAGE)).extracting(VersionDiff.Change::after).containsExactly("sha256:img2");
            assertThat(DIFF.changes(Group.ENVIRONMENT_FILE)).extracting(VersionDiff.Change::kind).containsExactly(Kind.REMOVED);
            assertThat(DIFF.changes(Group.FRAMEWORK)).extracting(VersionDiff.Change::key, VersionDiff.Change::after)
                    .containsExactly(tuple("version", "2.0.3"));
            assertThat(DIFF.changes(Group.RUNTIME)).extracting(VersionDiff.Change::key, VersionDiff.Change::before, VersionDiff.Change::after)
                    .containsExactly(tuple("java", "17.0.9", "21.0.2"), tuple("arch", "amd64", "aarch64"));
        }

        @Test
        @DisplayName("artifacts by name, with digest changes, and labels")
        void artifactsAndLabels() {
            assertThat(DIFF.changes(Group.ARTIFACTS)).extracting(VersionDiff.Change::key, VersionDiff.Change::kind).containsExactly(
                    tuple("calibration.json", Kind.ADDED), tuple("model.json", Kind.CHANGED), tuple("notes.txt", Kind.REMOVED));
            assertThat(DIFF.changes(Group.ARTIFACTS).get(1).before()).startsWith("sha256:" + "a".repeat(64));
            assertThat(DIFF.changes(Group.ARTIFACTS).get(1).after()).startsWith("sha256:" + "c".repeat(64));
            assertThat(DIFF.changes(Group.LABELS)).extracting(VersionDiff.Change::key, VersionDiff.Change::kind)
                    .containsExactly(tuple("region", Kind.ADDED), tuple("tier", Kind.CHANGED));
        }

        @Test
        @DisplayName("a signature change the bump rule does not classify, such as declaring one")
        void unclassifiedSignature() {
            ModelVersion undeclared = new ModelVersion(A.model(), SemVer.parse("0.9.0"), List.of(), "", Instant.EPOCH, A.framework(),
                    A.frameworkVersion(), A.hyperparameters(), null, Map.of(), A.artifacts(), A.provenance(), "", A.labels());

            VersionDiff d = VersionDiff.of(undeclared, A);

            assertThat(d.signature().requiredBump()).isEqualTo(Bump.PATCH);
            assertThat(d.changes()).singleElement().satisfies(c -> {
                assertThat(c.group()).isEqualTo(Group.SIGNATURE);
                assertThat(c.before()).isEqualTo("(undeclared)");
                assertThat(c.after()).contains("amount:double");
            });
        }
    }

    @Test
    @DisplayName("is empty between a version and itself")
    void empty() {
        VersionDiff d = VersionDiff.of(A, A);

        assertThat(d.isEmpty()).isTrue();
        assertThat(d.toText()).isEqualTo("Differences from fraud@1.0.0 to fraud@1.0.0\n  none\n");
        assertThat(DIFF.isEmpty()).isFalse();
    }

    @Nested
    @DisplayName("renders")
    class Renders {
        @Test
        @DisplayName("as text, one block per changed group")
        void text() {
            String text = DIFF.toText();

            assertThat(text).startsWith("Differences from fraud@1.0.0 to fraud@2.0.0\nhyperparameters\n  ~ depth: 6 -> 8\n  + lambda: 1.5\n");
            assertThat(text).contains("signature (requires a MAJOR bump)\n  ! input \"amount\" retyped from double to float (breaking)\n");
            assertThat(text).contains("datasets\n  + s3://lake/extra@git:abc: s3://lake/extra@git:abc\n");
            assertThat(text).contains("labels\n  + region: eu\n  ~ tier: gold -> silver\n");
            assertThat(text).doesNotContain("evaluation sets");
        }

        @Test
        @DisplayName("as Markdown, with cells escaped")
        void markdown() {
            String md = DIFF.toMarkdown();

            assertThat(md).startsWith("### Differences from fraud@1.0.0 to fraud@2.0.0\n\nSignature (requires a MAJOR bump):\n\n");
            assertThat(md).contains("- **breaking**: input \"country\" removed\n");
            assertThat(md).contains("| group | key | change | before | after |\n| --- | --- | --- | --- | --- |\n");
            assertThat(md).contains("| code | commit | changed | c0ffee | deadbeef |");
            assertThat(Render.markdownCell("a|b\nc")).isEqualTo("a\\|b<br>c");
        }

        @Test
        @DisplayName("as JSON with sorted keys")
        void json() throws Exception {
            JsonNode root = new ObjectMapper().readTree(DIFF.toJson());

            assertThat(DIFF.toJson()).startsWith("{\"changes\":[");
            assertThat(root.get("empty").asBoolean()).isFalse();
            assertThat(root.at("/signature/requiredBump").asText()).isEqualTo("MAJOR");
            assertThat(root.get("changes")).hasSize(DIFF.changes().size());
            assertThat(root.at("/changes/0/group").asText()).isEqualTo("HYPERPARAMETERS");
        }
    }
}
