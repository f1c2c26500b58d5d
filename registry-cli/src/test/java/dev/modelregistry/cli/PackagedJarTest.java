package dev.modelregistry.cli;

import static dev.modelregistry.cli.Fixtures.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.s3.S3Config;
import dev.modelregistry.s3.S3MockServer;
import dev.modelregistry.s3.S3Registry;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged executable jar, run as a user runs it: {@code java -jar}, in its own process. Runs
 * after {@code package} (see the {@code packaged-jar} execution in this module's pom).
 */
@Tag("packaged-jar")
@DisplayName("The packaged jar in a subprocess")
class PackagedJarTest {
    static Path jar;

    @TempDir
    Path dir;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("registry.cli.jar", "registry.cli.jar is not set"));
        assertThat(jar).as("the shaded jar; run through `mvn verify`").isRegularFile();
    }

    record Run(int exit, String out, String err) {
    }

    private static Run java(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("MODEL_REGISTRY") || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        return new Run(p.waitFor(), out, err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @DisplayName("an incident on SQLite: find what serves, roll back, verify; errors are one line without a stack trace")
    void incidentOnSqlite() throws Exception {
        Path registryDir = dir.resolve("registry");
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            Fixtures.populate(registry);
        }
        Map<String, String> env = Map.of("MODEL_REGISTRY", registryDir.toString(), "MODEL_REGISTRY_PRINCIPAL", "on-call",
                "MODEL_REGISTRY_ROLES", "release-manager");
        Run show = java(env, "show", MODEL + "@production");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).startsWith("fraud-detector@2.0.0  (PRODUCTION)");
        assertThat(show.err()).isEmpty();

        Run rollback = java(env, "rollback", MODEL, "--reason", "p99 latency 4x after 2.0.0");
        assertThat(rollback.exit()).as(rollback.err()).isZero();
        assertThat(rollback.out()).startsWith("Rolled back fraud-detector PRODUCTION to 1.5.0");
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(SemVer.parse("1.5.0"));
        }
        assertThat(java(env, "audit", "verify").exit()).isZero();

        Run unknown = java(env, "history", "fraud-detectr");
        assertThat(unknown.exit()).isEqualTo(RegistryCli.NOT_FOUND);
        assertThat(unknown.err()).isEqualTo("error: No model named fraud-detectr\n");
        Run denied = java(Map.of("MODEL_REGISTRY", registryDir.toString(), "MODEL_REGISTRY_PRINCIPAL", "intern",
                "MODEL_REGISTRY_ROLES", "viewer"), "rollback", MODEL);
        assertThat(denied.exit()).isEqualTo(RegistryCli.REFUSED);
        assertThat(denied.err()).hasLineCount(1).contains("intern", "ROLLBACK");
        Run help = java(env, "rollback", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: registry rollback", "Example:");
    }

    @Test
    @DisplayName("the jar reaches an S3-compatible endpoint given in the environment")
    void s3Endpoint() throws Exception {
        String prefix = S3MockServer.uniquePrefix("cli-jar");
        try (ModelRegistry registry = S3Registry.builder(S3Config.builder(S3MockServer.BUCKET).prefix(prefix)
                .client(S3MockServer.client()).build()).build()) {
            Fixtures.populate(registry);
        }
        Map<String, String> env = Map.of("MODEL_REGISTRY", "s3://" + S3MockServer.BUCKET + "/" + prefix,
                "MODEL_REGISTRY_S3_ENDPOINT", S3MockServer.client().serviceClientConfiguration().endpointOverride().orElseThrow().toString(),
                "AWS_ACCESS_KEY_ID", "cli-test", "AWS_SECRET_ACCESS_KEY", "cli-test", "MODEL_REGISTRY_PRINCIPAL", "carol",
                "MODEL_REGISTRY_ROLES", "viewer");
        Run versions = java(env, "versions", MODEL, "--json");
        assertThat(versions.exit()).as(versions.err()).isZero();
        assertThat(Json.MAPPER.readTree(versions.out()).get(0).get("stage").asText()).isEqualTo("PRODUCTION");
        assertThat(versions.err()).isEmpty();
    }
}
