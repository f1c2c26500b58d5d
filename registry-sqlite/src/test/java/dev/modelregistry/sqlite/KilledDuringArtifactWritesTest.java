package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.VersionQuery;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process registering versions with multi-MiB artifacts is killed with SIGKILL after a chosen
 * number of acknowledged registrations, that is while it streams, forces or renames the next
 * artifact or appends its version. The registry must then open and verify, hold every acknowledged
 * version with its complete artifact, show no version whose artifact is missing or partial, and
 * hold nothing but complete content under any digest.
 */
@DisplayName("a process killed with SIGKILL during artifact writes")
class KilledDuringArtifactWritesTest {
    private static final String MODEL = "fraud-detector";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "killed after {0} acknowledged registrations")
    @ValueSource(ints = {0, 1, 2, 3, 5})
    @DisplayName("loses no acknowledged version and shows nothing half-written")
    void killedDuringArtifactWrites(int acknowledged) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                ArtifactWriterChild.class.getName(), dir.toString(), MODEL, String.valueOf(acknowledged), "50");
        pb.redirectError(dir.resolve("child.err").toFile());
        Process child = pb.start();
        Map<String, String> acked = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(reader.readLine()).isEqualTo("READY");
            while (acked.size() < acknowledged) {
                String line = reader.readLine();
                assertThat(line).as("child output; errors: %s", Files.readString(dir.resolve("child.err"))).isNotNull().startsWith("REGISTERED");
                String[] parts = line.split(" ");
                acked.put(parts[1], parts[2]);
            }
            // The child is now in the middle of its next registration: a 4 MiB artifact being written.
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        try (ModelRegistry registry = SqliteRegistry.open(dir)) {
            assertThat(registry.verify().intact()).as("verify after the kill").isTrue();
            for (Map.Entry<String, String> a : acked.entrySet()) {
                assertThat(registry.findVersion(MODEL, SemVer.parse(a.getKey()))).as("acknowledged %s", a.getKey()).isPresent();
            }
            for (ModelVersion v : registry.search(MODEL, VersionQuery.all()).items()) {
                try (InputStream in = registry.openArtifact(MODEL, v.version(), "model.bin")) {
                    String digest = Sha256.digest(in.readAllBytes()).hex();
                    assertThat(digest).as("artifact of %s", v.version()).isEqualTo(v.artifact("model.bin").sha256().hex());
                    if (acked.containsKey(v.version().toString())) {
                        assertThat(digest).isEqualTo(acked.get(v.version().toString()));
                    }
                }
            }
        } catch (dev.modelregistry.NotFoundException noModelYet) {
            assertThat(acked).as("a model can only be missing when nothing was acknowledged").isEmpty();
        }
        try (Stream<Path> files = Files.walk(dir.resolve(SqliteRegistry.ARTIFACTS_FOLDER))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().matches("[0-9a-f]{64}")).toList()) {
                assertThat(Sha256.digest(Files.readAllBytes(f)).hex()).as("content under %s", f.getFileName()).isEqualTo(f.getFileName().toString());
            }
        }
    }
}
