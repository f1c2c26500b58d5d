package dev.modelregistry.cli;

import static dev.modelregistry.cli.Fixtures.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.AccessDenied;
import dev.modelregistry.GatePolicy;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayName("The command line on a SQLite registry")
class SqliteCommandsTest {
    @TempDir
    Path dir;
    Path registryDir;
    Cli cli;

    @BeforeEach
    void createRegistry() {
        registryDir = dir.resolve("registry");
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            Fixtures.populate(registry);
        }
        cli = new Cli(Map.of(RegistryCli.ENV_REGISTRY, registryDir.toString(), RegistryCli.ENV_PRINCIPAL, "carol",
                RegistryCli.ENV_ROLES, "viewer"));
    }

    private <T> T withRegistry(java.util.function.Function<ModelRegistry, T> read) {
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            return read.apply(registry);
        }
    }

    /** The audit trail's hashes and the artifact files: equal snapshots mean the command changed nothing. */
    private List<String> snapshot() throws IOException {
        List<String> state = new ArrayList<>(withRegistry(Fixtures::trail));
        Path artifacts = registryDir.resolve(SqliteRegistry.ARTIFACTS_FOLDER);
        try (Stream<Path> files = Files.walk(artifacts)) {
            files.map(artifacts::relativize).map(Path::toString).sorted().forEach(state::add);
        }
        return state;
    }

    private SemVer production() {
        return withRegistry(reg -> reg.getCurrent(MODEL, Stage.PRODUCTION).version());
    }

    private String lastMovedBy() {
        return withRegistry(reg -> reg.stageHistory(MODEL).get(reg.stageHistory(MODEL).size() - 1).principal());
    }

    private Stage stageOf(String version) {
        return withRegistry(reg -> reg.stageOf(MODEL, SemVer.parse(version)));
    }

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }

    @Nested
    @DisplayName("reading")
    class Reading {
        @Test
        @DisplayName("models lists each model with its stage holders")
        void models() throws IOException {
            Cli.Result r = cli.run("models");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("MODEL", "fraud-detector", "PRODUCTION=2.0.0", "fraud-distilled", "PRODUCTION=1.0.0");
            JsonNode models = json(cli.run("models", "--json").out());
            assertThat(models).hasSize(2);
            assertThat(models.get(0).get("name").asText()).isEqualTo(MODEL);
            assertThat(models.get(0).get("versionCount").asInt()).isEqualTo(2);
        }

        @Test
        @DisplayName("versions is a table of version, tags, stage, author, created and key metrics, newest first")
        void versions() throws IOException {
            Cli.Result r = cli.run("versions", MODEL);
            assertThat(r.exit()).as(r.toString()).isZero();
            List<String> lines = r.out().lines().toList();
            assertThat(lines.get(0)).startsWith("VERSION").contains("TAGS", "STAGE", "AUTHOR", "CREATED", "METRICS");
            assertThat(lines.get(1)).startsWith("2.0.0").contains("PRODUCTION", "training-pipeline", "auc=0.934");
            assertThat(lines.get(2)).startsWith("1.5.0").contains("fraud-detector-2023-10-27", "ARCHIVED", "auc=0.912");
            JsonNode versions = json(cli.run("versions", MODEL, "--json").out());
            assertThat(versions).hasSize(2);
            assertThat(versions.get(0).get("version").asText()).isEqualTo("2.0.0");
            assertThat(versions.get(0).get("stage").asText()).isEqualTo("PRODUCTION");
            assertThat(versions.get(1).get("tags").get(0).asText()).isEqualTo("fraud-detector-2023-10-27");
            assertThat(cli.run("versions", MODEL, "--stage", "archived").out()).contains("1.5.0").doesNotContain("2.0.0");
        }

        @Test
        @DisplayName("show resolves a stage, a tag or a version and prints metadata, digests, lineage and model card")
        void show() throws IOException {
            ModelVersion v15 = withRegistry(r -> r.getVersion(MODEL, SemVer.parse("1.5.0")));
            Cli.Result byTag = cli.run("show", MODEL + "@fraud-detector-2023-10-27");
            assertThat(byTag.exit()).as(byTag.toString()).isZero();
            assertThat(byTag.out()).contains("fraud-detector@1.5.0  (ARCHIVED)", "tribuo 4.3.1",
                    "sha256:" + v15.artifact("model.bin").sha256().hex(), "s3://data/transactions@git:3f2c1e0",
                    "https://git.example.org/risk/fraud@9b1d2aa (train/Train.java)",
                    "fraud-detector@2.0.0 (fine-tune)", "fraud-distilled@1.0.0 (distillation)",
                    "intended-use:", "Score card-not-present transactions.", "s3://data/holdout@v3: auc=0.912",
                    "slice gender:female: tpr=0.84");
            Cli.Result byStage = cli.run("show", MODEL + "@production", "--json");
            JsonNode node = json(byStage.out());
            assertThat(node.get("version").get("version").asText()).isEqualTo("2.0.0");
            assertThat(node.get("stage").asText()).isEqualTo("PRODUCTION");
            assertThat(node.get("version").get("provenance").get("parents").get(0).get("relation").asText()).isEqualTo("fine-tune");
            assertThat(node.get("evaluations").get(0).get("metrics").get("auc").asDouble()).isEqualTo(0.934);
        }

        @Test
        @DisplayName("history lists stage moves and every event of the log")
        void history() throws IOException {
            Cli.Result r = cli.run("history", MODEL);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("Stage history", "DISPLACED", "PRODUCTION -> ARCHIVED", "Events",
                    "VersionRegistered 1.5.0", "EvaluationRecorded 2.0.0", "release-bot");
            JsonNode node = json(cli.run("history", MODEL, "--json").out());
            assertThat(node.get("events")).hasSize(withRegistry(reg -> reg.log(MODEL)).size());
            assertThat(node.get("stageHistory").get(0).get("kind").asText()).isEqualTo("PROMOTION");
        }

        @Test
        @DisplayName("a principal whose roles do not allow READ is refused with exit 1")
        void readNeedsAccess() {
            Cli.Result r = cli.with(RegistryCli.ENV_ROLES, "").run("versions", MODEL);
            assertThat(r.exit()).isEqualTo(RegistryCli.REFUSED);
            assertThat(r.err()).isEqualTo("error: carol (roles []) may not READ fraud-detector\n");
            assertThat(cli.with(RegistryCli.ENV_ROLES, "").run("models", "--json").out().strip()).isEqualTo("[ ]");
        }
    }

    @Nested
    @DisplayName("the lifecycle")
    class Lifecycle {
        @Test
        @DisplayName("rollback by a release manager reinstates the previous Production holder, audited")
        void rollback() {
            Cli.Result r = cli.run("--as", "on-call", "--role", "release-manager", "rollback", MODEL, "-m", "p99 latency 4x");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("Rolled back fraud-detector PRODUCTION to 1.5.0 (2.0.0 moved to ARCHIVED; log #"
                    + withRegistry(reg -> reg.log(MODEL)).size() + ")\n");
            assertThat(production()).isEqualTo(SemVer.parse("1.5.0"));
            assertThat(lastMovedBy()).isEqualTo("on-call");
        }

        @Test
        @DisplayName("a viewer's rollback is refused with exit 1, recorded as denied, and changes no stage")
        void deniedRollback() {
            Cli.Result r = cli.run("rollback", MODEL, "-m", "I think 2.0.0 is bad");
            assertThat(r.exit()).isEqualTo(RegistryCli.REFUSED);
            assertThat(r.err()).startsWith("error: carol (roles [viewer]) may not ROLLBACK fraud-detector").hasLineCount(1);
            assertThat(production()).isEqualTo(SemVer.parse("2.0.0"));
            // --as names someone else: the roles exported for the environment's principal do not come along.
            assertThat(cli.with(RegistryCli.ENV_ROLES, "release-manager").run("--as", "intern", "rollback", MODEL).exit())
                    .isEqualTo(RegistryCli.REFUSED);
            assertThat(production()).isEqualTo(SemVer.parse("2.0.0"));
            List<dev.modelregistry.LogEntry> denied = withRegistry(reg -> reg.audit(AuditQuery.builder().outcome(AuditQuery.Outcome.DENIED).build()));
            assertThat(denied).hasSize(2).allSatisfy(e -> assertThat(e.event()).isInstanceOf(AccessDenied.class));
        }

        @Test
        @DisplayName("a promotion waiting on an approval opens a request; requests lists it; approve applies it")
        void requestAndApprove() throws IOException {
            Path policy = dir.resolve("policy.json");
            Files.writeString(policy, """
                    {"version": 1, "transitions": {"STAGING->PRODUCTION": [
                      {"type": "manual-approval", "approvals": 1, "role": "approver", "distinctFromAuthor": true}]}}""");
            assertThat(cli.run("--as", "admin", "--role", "admin", "policy", "set", policy.toString(), "-m", "four eyes").exit()).isZero();
            Cli.Result toStaging = cli.run("--as", "rm", "--role", "release-manager", "promote", MODEL + "@1.5.0", "staging");
            assertThat(toStaging.out()).isEqualTo("Promoted fraud-detector@1.5.0: ARCHIVED -> STAGING\n");
            Cli.Result pending = cli.run("--as", "rm", "--role", "release-manager", "promote", MODEL + "@staging", "production", "-m", "back");
            assertThat(pending.exit()).as(pending.toString()).isZero();
            assertThat(pending.out()).startsWith("Request fraud-detector#").contains("is open: fraud-detector@1.5.0 STAGING -> PRODUCTION, awaiting approval by approver");
            String id = pending.out().substring("Request ".length(), pending.out().indexOf(" is open"));
            assertThat(cli.run("requests").out()).contains(id, "1.5.0", "STAGING -> PRODUCTION", "approver");
            assertThat(json(cli.run("requests", "--awaiting", "approver", "--json").out()).get(0).get("id").asText()).isEqualTo(id);

            Cli.Result approved = cli.run("--as", "maria", "--role", "approver", "approve", id, "-m", "looks fine");
            assertThat(approved.exit()).as(approved.toString()).isZero();
            assertThat(approved.out()).isEqualTo("Promoted fraud-detector@1.5.0: STAGING -> PRODUCTION; 2.0.0 moved to ARCHIVED\n");
            assertThat(cli.run("requests", MODEL).out().lines()).hasSize(1);
        }

        @Test
        @DisplayName("a failed gate refuses the promotion with exit 1 and one line naming the gate")
        void gateRefusal() throws IOException {
            Path policy = dir.resolve("policy.json");
            Files.writeString(policy, """
                    {"version": 1, "transitions": {"STAGING->PRODUCTION": [
                      {"type": "metric-threshold", "name": "auc-floor", "metric": "auc", "operator": ">=", "value": 0.95,
                       "evaluationSet": "s3://data/holdout@v3"}]}}""");
            assertThat(cli.run("--as", "admin", "--role", "admin", "policy", "set", policy.toString()).exit()).isZero();
            cli.run("--as", "rm", "--role", "release-manager", "promote", MODEL + "@1.5.0", "staging");
            Cli.Result r = cli.run("--as", "rm", "--role", "release-manager", "promote", MODEL + "@1.5.0", "production");
            assertThat(r.exit()).as(r.toString()).isEqualTo(RegistryCli.REFUSED);
            assertThat(r.err()).hasLineCount(1).startsWith("error: Promotion of fraud-detector@1.5.0 to PRODUCTION").contains("auc-floor");
        }

        @Test
        @DisplayName("register stores artifacts from a folder with the metadata file, with a progress bar on request")
        void register() throws IOException {
            Path folder = Files.createDirectories(dir.resolve("build"));
            Files.write(folder.resolve("model.bin"), new byte[300_000]);
            Files.writeString(folder.resolve("scaler.json"), "{\"mean\": 1}");
            Path meta = dir.resolve("meta.json");
            Files.writeString(meta, """
                    {"model": "fraud-detector", "bump": "minor", "tags": ["nightly-2026-11-26"],
                     "framework": "tribuo", "frameworkVersion": "4.3.2", "metrics": {"auc": 0.941},
                     "hyperparameters": {"learningRate": 0.02, "layers": [64, 32]},
                     "signature": {"inputs": [{"name": "amount", "type": "double"}, {"name": "device_age_days", "type": "int", "hasDefault": true}],
                                   "outputs": [{"name": "fraud_probability", "type": "double"}]},
                     "datasets": ["s3://data/transactions@git:9e8d7c6"], "evaluationSets": ["s3://data/holdout@v3"],
                     "parents": [{"model": "fraud-detector", "version": "2.0.0", "relation": "fine-tune"}],
                     "trainingRun": {"id": "run-42", "start": "2026-11-26T08:00:00Z", "end": "2026-11-26T09:00:00Z", "parameters": {"seed": "7"}},
                     "code": {"repository": "https://git.example.org/risk/fraud", "commit": "abc1234", "script": "train/Train.java"},
                     "containerImage": "sha256:1111", "environmentFile": "env.lock", "description": "nightly",
                     "labels": {"team": "payments-risk"}, "modelCard": {"intendedUse": "Scoring.", "owners": ["risk@example.org"]},
                     "reason": "nightly retrain"}""");
            Cli.Result r = cli.run("--as", "pipeline", "--role", "data-scientist", "register", "--metadata", meta.toString(),
                    "--progress", folder.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("Registered fraud-detector@2.1.0 (2 artifacts, 293.0 KiB)").contains("model.bin  sha256:", "scaler.json  sha256:");
            assertThat(r.err()).contains("\rUploading [", "100%").doesNotContain("error");
            ModelVersion v = withRegistry(reg -> reg.getVersion(MODEL, SemVer.parse("2.1.0")));
            assertThat(v.tags()).containsExactly("nightly-2026-11-26");
            assertThat(v.artifact("model.bin").size()).isEqualTo(300_000);
            assertThat(v.hyperparameters().get("layers").toString()).isEqualTo("[64,32]");
            assertThat(v.signature().inputs().get(1).hasDefault()).isTrue();
            assertThat(v.provenance().run().parameters()).containsEntry("seed", "7");
            assertThat(v.provenance().parents().get(0).relation()).isEqualTo("fine-tune");
            assertThat(v.labels()).containsEntry("team", "payments-risk");
            assertThat(withRegistry(reg -> reg.findModelCard(MODEL, v.version())).orElseThrow().owners()).containsExactly("risk@example.org");
            assertThat(withRegistry(reg -> reg.log(MODEL)).get(withRegistry(reg -> reg.log(MODEL)).size() - 1).reason()).isEqualTo("nightly retrain");
        }

        @Test
        @DisplayName("archive moves a version to the archive stage; withdraw and reject close requests")
        void archiveWithdrawReject() throws IOException {
            Path policy = dir.resolve("policy.json");
            Files.writeString(policy, """
                    {"version": 1, "transitions": {"STAGING->PRODUCTION": [{"type": "manual-approval", "approvals": 1, "role": "approver"}]}}""");
            cli.run("--as", "admin", "--role", "admin", "policy", "set", policy.toString());
            Cli rm = cli.with(RegistryCli.ENV_PRINCIPAL, "rm").with(RegistryCli.ENV_ROLES, "release-manager");
            rm.run("promote", MODEL + "@1.5.0", "staging");
            String first = rm.run("promote", MODEL + "@1.5.0", "production").out().split(" ")[1];
            Cli.Result withdrawn = rm.run("withdraw", first, "-m", "wrong build");
            assertThat(withdrawn.out()).as(withdrawn.toString()).isEqualTo("Withdrew " + first + ": 1.5.0 STAGING -> PRODUCTION (WITHDRAWN)\n");
            String second = rm.run("promote", MODEL + "@1.5.0", "production").out().split(" ")[1];
            Cli.Result rejected = cli.run("--as", "maria", "--role", "approver", "reject", second, "-m", "no");
            assertThat(rejected.out()).isEqualTo("Rejected " + second + ": 1.5.0 STAGING -> PRODUCTION (REJECTED)\n");
            Cli.Result archived = rm.run("archive", MODEL + "@1.5.0", "-m", "superseded");
            assertThat(archived.out()).isEqualTo("Archived fraud-detector@1.5.0: STAGING -> ARCHIVED\n");
            assertThat(stageOf("1.5.0")).isEqualTo(Stage.ARCHIVED);
        }
    }

    @Nested
    @DisplayName("comparison and lineage")
    class CompareAndLineage {
        @Test
        @DisplayName("compare prints the table and the worse slices; --json is the library's report")
        void compare() throws IOException {
            Cli.Result r = cli.run("compare", MODEL, "1.5.0", "2.0.0", "--on", "s3://data/holdout@v3");
            assertThat(r.exit()).as(r.toString()).isZero();
            String expected = withRegistry(reg -> reg.compare(MODEL, SemVer.parse("1.5.0"), SemVer.parse("2.0.0"), Fixtures.HOLDOUT, 0).toText());
            assertThat(r.out().strip()).isEqualTo(expected.strip());
            assertThat(r.out()).contains("gender:female", "latency_p99_ms");
            JsonNode node = json(cli.run("compare", MODEL, "1.5.0", "production", "--on", "s3://data/holdout@v3", "--json").out());
            assertThat(node.get("worseSlices").get(0).get("slice").asText()).isEqualTo("gender:female");
            Cli.Result wrongSet = cli.run("compare", MODEL, "1.5.0", "2.0.0", "--on", "s3://data/other@v1");
            assertThat(wrongSet.exit()).isEqualTo(RegistryCli.USAGE);
            assertThat(wrongSet.err()).hasLineCount(1).contains("s3://data/other@v1");
        }

        @Test
        @DisplayName("diff shows what changed, including the signature's required bump")
        void diff() throws IOException {
            Cli.Result r = cli.run("diff", MODEL, "1.5.0", "2.0.0");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("learningRate", "MAJOR");
            assertThat(json(cli.run("diff", MODEL, "1.5.0", "2.0.0", "--json").out()).get("to").asText()).isEqualTo("fraud-detector@2.0.0");
        }

        @Test
        @DisplayName("lineage up draws the provenance tree, through parent versions")
        void lineageUp() throws IOException {
            Cli.Result r = cli.run("lineage", "up", "fraud-distilled@production");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("""
                    version fraud-distilled@1.0.0 [PRODUCTION]
                    ├── derived from (distillation): version fraud-detector@1.5.0 [ARCHIVED]
                    │   └── built from code: code https://git.example.org/risk/fraud@9b1d2aa
                    └── trained on: dataset s3://data/transactions@git:3f2c1e0
                    """);
            assertThat(cli.run("lineage", "up", "version:fraud-distilled@1.0.0", "--format", "dot").out()).startsWith("digraph");
            assertThat(cli.run("lineage", "up", "fraud-distilled@1.0.0", "--format", "mermaid").out()).startsWith("flowchart LR");
            JsonNode node = json(cli.run("lineage", "up", "fraud-distilled@1.0.0", "--json").out());
            assertThat(node.get("start").get("id").asText()).isEqualTo("fraud-distilled@1.0.0");
            assertThat(node.get("results")).hasSize(3);
        }

        @Test
        @DisplayName("lineage down and impact find every version that used a snapshot, and which are in Production")
        void impact() throws IOException {
            Cli.Result down = cli.run("lineage", "down", "dataset:s3://data/transactions@git:3f2c1e0");
            assertThat(down.exit()).as(down.toString()).isZero();
            assertThat(down.out()).contains("used by (trained on): version fraud-detector@1.5.0 [ARCHIVED]",
                    "used by (derived from (fine-tune)): version fraud-detector@2.0.0 [PRODUCTION]");
            Cli.Result impact = cli.run("impact", "s3://data/transactions@git:3f2c1e0");
            assertThat(impact.out()).startsWith("Impact of dataset s3://data/transactions@git:3f2c1e0: 3 versions, 2 in PRODUCTION")
                    .contains("fraud-detector@2.0.0", "fraud-detector@1.5.0 (fine-tune)");
            JsonNode node = json(cli.run("impact", "s3://data/transactions@git:3f2c1e0", "--stage", "production", "--json").out());
            assertThat(node.get("versions").asInt()).isEqualTo(2);
            Cli.Result unknown = cli.run("impact", "s3://data/never@v1");
            assertThat(unknown.exit()).isEqualTo(RegistryCli.NOT_FOUND);
            assertThat(unknown.err()).hasLineCount(1);
        }
    }

    @Nested
    @DisplayName("the audit trail")
    class Audit {
        @Test
        @DisplayName("audit filters by model, principal, action and time; export writes the same entries as JSON Lines")
        void auditAndExport() throws IOException {
            Cli.Result r = cli.run("audit", "--model", MODEL, "--principal", "release-bot", "--action", "StageChanged", "--since", "1h");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out().lines().skip(1)).isNotEmpty().allSatisfy(l -> assertThat(l).contains("release-bot", "StageChanged"));
            assertThat(cli.run("audit", "--until", "2000-01-01").out().lines()).hasSize(1);
            JsonNode all = json(cli.run("audit", "--json").out());
            assertThat(all).hasSize(withRegistry(Fixtures::trail).size());
            Cli.Result exported = cli.run("audit", "export", "--jsonl");
            List<String> lines = exported.out().lines().toList();
            assertThat(lines).hasSize(all.size());
            assertThat(json(lines.get(0))).isEqualTo(all.get(0));
            Path file = dir.resolve("audit.jsonl");
            assertThat(cli.run("audit", "export", "--jsonl", "--model", MODEL, "--output", file.toString()).exit()).isZero();
            assertThat(Files.readAllLines(file)).hasSize(withRegistry(reg -> reg.log(MODEL)).size());
            Cli.Result badTime = cli.run("audit", "--since", "yesterday");
            assertThat(badTime.exit()).isEqualTo(RegistryCli.USAGE);
            assertThat(badTime.err()).hasLineCount(1).contains("\"yesterday\"");
        }

        @Test
        @DisplayName("audit verify exits 0 on an intact trail and 4, naming the first broken link, on a tampered one")
        void verify() throws Exception {
            Cli.Result ok = cli.run("audit", "verify");
            assertThat(ok.exit()).as(ok.toString()).isZero();
            assertThat(ok.out()).startsWith("Intact: ");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + registryDir.resolve(SqliteRegistry.DATABASE_FILE));
                 Statement s = c.createStatement()) {
                // Someone with write access to the file rewrites why a version was released.
                assertThat(s.executeUpdate("UPDATE log_entries SET entry_json = replace(entry_json, '\"release\"', '\"hotfix\"')"
                        + " WHERE sequence = (SELECT min(sequence) FROM log_entries l JOIN models m USING (model_id)"
                        + " WHERE m.name = 'fraud-detector' AND entry_json LIKE '%\"release\"%')"
                        + " AND model_id = (SELECT model_id FROM models WHERE name = 'fraud-detector')")).isEqualTo(1);
            }
            Cli.Result broken = cli.run("audit", "verify");
            assertThat(broken.exit()).as(broken.toString()).isEqualTo(RegistryCli.INTEGRITY);
            assertThat(broken.out()).startsWith("BROKEN: ");
            assertThat(broken.err()).hasLineCount(1).startsWith("error: Hash chain of fraud-detector broken at entry #")
                    .contains("content hashes to");
            JsonNode report = json(cli.run("audit", "verify", "--model", MODEL, "--json").out());
            assertThat(report.get("intact").asBoolean()).isFalse();
            assertThat(report.get("logs").get(0).get("problem").asText()).contains("content hashes to");
        }
    }

    @Nested
    @DisplayName("policies")
    class Policies {
        @Test
        @DisplayName("policy set stores a valid gate policy; policy show prints it back")
        void gatePolicy() throws IOException {
            Path file = dir.resolve("policy.json");
            String text = """
                    {"version": 1, "transitions": {"STAGING->PRODUCTION": [
                      {"type": "no-regression", "metric": "auc", "tolerance": 0.01},
                      {"type": "manual-approval", "approvals": 1, "role": "approver", "distinctFromAuthor": true}]}}""";
            Files.writeString(file, text);
            Cli.Result r = cli.run("--as", "admin", "--role", "admin", "policy", "set", file.toString(), "-m", "Q3 review");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).isEqualTo("Gate policy set: 1 transitions, 2 gates\n");
            assertThat(withRegistry(ModelRegistry::gatePolicy)).isEqualTo(GatePolicy.fromJson(text));
            JsonNode shown = json(cli.run("policy", "show", "--json").out());
            assertThat(GatePolicy.fromJson(shown.get("gates").toString())).isEqualTo(GatePolicy.fromJson(text));
            assertThat(shown.get("access").get("roles").has("release-manager")).isTrue();
            assertThat(cli.run("policy", "show").out()).contains("no-regression", "release-manager", "ROLLBACK");
        }

        @Test
        @DisplayName("policy set --access reads the form policy show --json prints, and it takes effect")
        void accessPolicy() throws IOException {
            Path file = dir.resolve("access.json");
            Files.writeString(file, """
                    {"roles": {"admin": [{"action": "MANAGE_ACCESS"}, {"action": "READ"}],
                               "on-call": [{"action": "READ"}, {"action": "ROLLBACK", "modelPattern": "fraud-*", "stages": ["PRODUCTION"]}]}}""");
            Cli.Result r = cli.run("--as", "admin", "--role", "admin", "policy", "set", "--access", file.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(cli.run("--as", "pager", "--role", "on-call", "rollback", MODEL).exit()).isZero();
            assertThat(cli.run("versions", MODEL).exit()).isEqualTo(RegistryCli.REFUSED);
            Path again = dir.resolve("again.json");
            Files.writeString(again, json(cli.run("--as", "a", "--role", "admin", "policy", "show", "--json").out()).get("access").toString());
            assertThat(PolicyCommands.accessPolicy("again", Files.readString(again)))
                    .isEqualTo(withRegistry(ModelRegistry::accessPolicy));
        }
    }

    @Nested
    @DisplayName("bad input: one line, the right exit code, nothing changed")
    class BadInput {
        private void assertRefused(Cli.Result r, int exit, String... messageParts) throws IOException {
            assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
            assertThat(r.errLines()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: ").contains(messageParts).doesNotContain("Exception", "\tat ");
        }

        @Test
        @DisplayName("an unknown model exits 3")
        void unknownModel() throws IOException {
            List<String> before = snapshot();
            assertRefused(cli.run("versions", "no-such-model"), RegistryCli.NOT_FOUND, "No model named no-such-model");
            assertRefused(cli.run("history", "no-such-model"), RegistryCli.NOT_FOUND, "no-such-model");
            assertRefused(cli.run("--as", "rm", "--role", "release-manager", "rollback", "no-such-model"), RegistryCli.NOT_FOUND, "no-such-model");
            assertThat(snapshot()).isEqualTo(before);
        }

        @Test
        @DisplayName("a bad version exits 2; a missing one, or a tag nobody carries, exits 3")
        void badVersion() throws IOException {
            List<String> before = snapshot();
            // "1.x.y.z" reads as neither a version nor a range, so it can only be a tag, which no version carries.
            assertRefused(cli.run("show", MODEL + "@1.x.y.z"), RegistryCli.NOT_FOUND, "1.x.y.z");
            assertRefused(cli.run("--as", "rm", "--role", "release-manager", "rollback", MODEL, "--to", "01.2.3"), RegistryCli.USAGE, "01.2.3");
            assertRefused(cli.run("--as", "rm", "--role", "release-manager", "promote", MODEL + "@9.9.9", "production"), RegistryCli.NOT_FOUND, "9.9.9");
            assertRefused(cli.run("show", MODEL), RegistryCli.USAGE, "model@selector");
            assertThat(snapshot()).isEqualTo(before);
        }

        @Test
        @DisplayName("malformed metadata JSON, an unknown field or a bad value exits 2 and stores nothing")
        void malformedMetadata() throws IOException {
            Path artifact = Files.writeString(dir.resolve("model.bin"), "weights");
            Cli pipeline = cli.with(RegistryCli.ENV_PRINCIPAL, "pipeline").with(RegistryCli.ENV_ROLES, "data-scientist");
            List<String> before = snapshot();
            Path meta = dir.resolve("meta.json");
            Files.writeString(meta, "{\"model\": \"fraud-detector\", \"version\": \"3.0.0\",\n \"metrics\": {\"auc\": 0.9,}}");
            assertRefused(pipeline.run("register", "--metadata", meta.toString(), artifact.toString()), RegistryCli.USAGE,
                    "Malformed JSON in " + meta, "line 2");
            Files.writeString(meta, "{\"model\": \"fraud-detector\", \"version\": \"3.0.0\", \"metrix\": {}}");
            assertRefused(pipeline.run("register", "--metadata", meta.toString(), artifact.toString()), RegistryCli.USAGE, "\"metrix\"");
            Files.writeString(meta, "{\"model\": \"fraud-detector\", \"version\": \"3.0.0\", \"metrics\": {\"auc\": \"high\"}}");
            assertRefused(pipeline.run("register", "--metadata", meta.toString(), artifact.toString()), RegistryCli.USAGE, "metrics.auc must be a number");
            Files.writeString(meta, "{\"model\": \"fraud/detector\", \"version\": \"3.0.0\"}");
            assertRefused(pipeline.run("register", "--metadata", meta.toString(), artifact.toString()), RegistryCli.USAGE, "fraud/detector");
            Files.writeString(meta, "{\"model\": \"fraud-detector\", \"version\": \"2.0.0\"}");
            assertRefused(pipeline.run("register", "--metadata", meta.toString(), artifact.toString()), RegistryCli.USAGE, "2.0.0");
            assertRefused(pipeline.run("register", "--metadata", dir.resolve("missing.json").toString()), RegistryCli.NOT_FOUND, "missing.json");
            assertThat(snapshot()).isEqualTo(before);
        }

        @Test
        @DisplayName("a policy file with an error exits 2 naming the JSON path, and the policy in force stays")
        void badPolicy() throws IOException {
            Cli admin = cli.with(RegistryCli.ENV_PRINCIPAL, "admin").with(RegistryCli.ENV_ROLES, "admin");
            List<String> before = snapshot();
            Path file = dir.resolve("policy.json");
            Files.writeString(file, """
                    {"version": 1, "transitions": {"STAGING->PRODUCTION": [
                      {"type": "metric-threshold", "metric": "auc", "operator": "=>", "value": 0.85}]}}""");
            assertRefused(admin.run("policy", "set", file.toString()), RegistryCli.USAGE,
                    "Invalid gate policy in " + file, "/transitions/STAGING->PRODUCTION/0/operator");
            Files.writeString(file, "{\"version\": 1, \"transitions\": ");
            assertRefused(admin.run("policy", "set", file.toString()), RegistryCli.USAGE, file.toString());
            Files.writeString(file, "{\"roles\": {\"on-call\": [{\"action\": \"ROLL_BACK\"}]}}");
            assertRefused(admin.run("policy", "set", "--access", file.toString()), RegistryCli.USAGE, "/roles/on-call/0/action", "ROLL_BACK");
            Files.writeString(file, "{\"roles\": {\"on call\": [{\"action\": \"READ\"}]}}");
            assertRefused(admin.run("policy", "set", "--access", file.toString()), RegistryCli.USAGE, "on call");
            assertThat(snapshot()).isEqualTo(before);
        }

        @Test
        @DisplayName("usage errors exit 2 with one line; a missing registry exits 3 and creates nothing")
        void usage() throws IOException {
            assertRefused(cli.run("promote", MODEL + "@1.5.0"), RegistryCli.USAGE, "STAGE");
            assertRefused(cli.run("bogus"), RegistryCli.USAGE, "bogus");
            assertRefused(cli.run("compare", MODEL, "1.5.0", "2.0.0", "--format", "pdf"), RegistryCli.USAGE, "pdf");
            Path nowhere = dir.resolve("nowhere");
            assertRefused(cli.run("--registry", nowhere.toString(), "models"), RegistryCli.NOT_FOUND, "No registry at " + nowhere);
            assertThat(nowhere).doesNotExist();
            assertRefused(new Cli(Map.of()).run("models"), RegistryCli.USAGE, "--registry");
        }
    }

    @Nested
    @DisplayName("help and completion")
    class Help {
        @Test
        @DisplayName("every command has --help with an example")
        void helpEverywhere() {
            List<String> checked = new ArrayList<>();
            visit(RegistryCli.commandLine(Map.of(), java.time.Clock.systemUTC(), false), new ArrayList<>(), checked);
            assertThat(checked).contains("versions", "lineage up", "audit verify", "policy set", "register").hasSizeGreaterThan(20);
        }

        private void visit(CommandLine command, List<String> path, List<String> checked) {
            for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
                List<String> args = new ArrayList<>(path);
                args.add(sub.getKey());
                if (!sub.getKey().equals("generate-completion")) {
                    List<String> withHelp = new ArrayList<>(args);
                    withHelp.add("--help");
                    Cli.Result r = cli.run(withHelp.toArray(String[]::new));
                    assertThat(r.exit()).as(String.join(" ", withHelp)).isZero();
                    assertThat(r.out()).as(String.join(" ", withHelp)).contains("Usage: registry " + String.join(" ", args), "Example:");
                    checked.add(String.join(" ", args));
                }
                visit(sub.getValue(), args, checked);
            }
        }

        @Test
        @DisplayName("generate-completion prints a bash/zsh completion script")
        void completion() {
            Cli.Result r = cli.run("generate-completion");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("complete -F", "rollback", "lineage");
        }
    }
}
