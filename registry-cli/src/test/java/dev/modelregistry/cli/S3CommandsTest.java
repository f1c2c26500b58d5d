package dev.modelregistry.cli;

import static dev.modelregistry.cli.Fixtures.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.s3.S3Config;
import dev.modelregistry.s3.S3MockServer;
import dev.modelregistry.s3.S3Registry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The command line on an S3 registry (S3Mock over HTTP)")
class S3CommandsTest {
    static final URI ENDPOINT = S3MockServer.client().serviceClientConfiguration().endpointOverride().orElseThrow();

    @TempDir
    Path dir;
    String prefix;
    Cli cli;

    @BeforeEach
    void createRegistry() {
        prefix = S3MockServer.uniquePrefix("cli");
        try (ModelRegistry registry = open()) {
            Fixtures.populate(registry);
        }
        // The endpoint and credentials come from the environment, as they would for MinIO.
        cli = new Cli(Map.of(RegistryCli.ENV_REGISTRY, "s3://" + S3MockServer.BUCKET + "/" + prefix,
                RegistryCli.ENV_S3_ENDPOINT, ENDPOINT.toString(), "AWS_ACCESS_KEY_ID", "cli-test", "AWS_SECRET_ACCESS_KEY", "cli-test",
                RegistryCli.ENV_PRINCIPAL, "on-call", RegistryCli.ENV_ROLES, "release-manager"));
    }

    private ModelRegistry open() {
        return S3Registry.builder(S3Config.builder(S3MockServer.BUCKET).prefix(prefix).client(S3MockServer.client()).build()).build();
    }

    private <T> T read(Function<ModelRegistry, T> query) {
        try (ModelRegistry registry = open()) {
            return query.apply(registry);
        }
    }

    @Test
    @DisplayName("versions, show and a rollback work on a bucket, and the trail still verifies")
    void rollbackOnS3() {
        Cli.Result versions = cli.run("versions", MODEL);
        assertThat(versions.exit()).as(versions.toString()).isZero();
        assertThat(versions.out()).contains("2.0.0", "PRODUCTION", "1.5.0", "ARCHIVED");
        assertThat(cli.run("show", MODEL + "@production").out()).contains("fraud-detector@2.0.0  (PRODUCTION)", "sha256:");

        Cli.Result rollback = cli.run("rollback", MODEL, "-m", "p99 latency 4x");
        assertThat(rollback.exit()).as(rollback.toString()).isZero();
        assertThat(rollback.out()).startsWith("Rolled back fraud-detector PRODUCTION to 1.5.0 (2.0.0 moved to ARCHIVED; log #");
        SemVer production = read(r -> r.getCurrent(MODEL, Stage.PRODUCTION).version());
        assertThat(production).isEqualTo(SemVer.parse("1.5.0"));
        Cli.Result verify = cli.run("audit", "verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
    }

    @Test
    @DisplayName("register uploads artifacts into the bucket; bad input changes nothing there")
    void registerAndBadInput() throws IOException {
        Path artifact = Files.write(dir.resolve("model.bin"), new byte[64 * 1024]);
        Path meta = Files.writeString(dir.resolve("meta.json"), "{\"model\": \"fraud-detector\", \"version\": \"2.1.0\", \"metrics\": {\"auc\": 0.95}}");
        Cli pipeline = cli.with(RegistryCli.ENV_PRINCIPAL, "pipeline").with(RegistryCli.ENV_ROLES, "data-scientist");
        Cli.Result registered = pipeline.run("register", "--metadata", meta.toString(), artifact.toString());
        assertThat(registered.exit()).as(registered.toString()).isZero();
        long size = read(r -> r.getVersion(MODEL, SemVer.parse("2.1.0")).artifact("model.bin").size());
        assertThat(size).isEqualTo(64 * 1024);

        List<String> before = read(Fixtures::trail);
        Files.writeString(meta, "{\"model\": \"fraud-detector\", \"version\": \"2.2.0\", \"metrics\": {\"auc\": }");
        Cli.Result malformed = pipeline.run("register", "--metadata", meta.toString(), artifact.toString());
        assertThat(malformed.exit()).isEqualTo(RegistryCli.USAGE);
        assertThat(malformed.err()).hasLineCount(1).contains("Malformed JSON");
        Cli.Result unknown = cli.run("versions", "no-such-model");
        assertThat(unknown.exit()).isEqualTo(RegistryCli.NOT_FOUND);
        assertThat(unknown.err()).isEqualTo("error: No model named no-such-model\n");
        Cli.Result badVersion = cli.run("rollback", MODEL, "--to", "v1.x");
        assertThat(badVersion.exit()).isEqualTo(RegistryCli.USAGE);
        assertThat(badVersion.err()).hasLineCount(1).contains("v1.x");
        assertThat(read(Fixtures::trail)).isEqualTo(before);
    }
}
