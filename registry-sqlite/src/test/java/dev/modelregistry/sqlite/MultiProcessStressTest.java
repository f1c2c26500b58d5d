package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.SemVer;
import dev.modelregistry.testkit.RegistryStressTests;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVM processes mix every write operation on one SQLite file for a few seconds while this
 * process reads it continuously, checking the invariants of {@link RegistryStressTests}; at the end
 * every chain verifies and every registration a child acknowledged is there.
 */
@DisplayName("several processes mixing every write operation on one database file")
class MultiProcessStressTest {
    private static final int CHILDREN = 3;
    private static final long MILLIS = 4000;

    @TempDir
    Path dir;

    @Test
    @DisplayName("keep the invariants, seen continuously by a reader in another process and at the end")
    void mixedProcesses() throws Exception {
        SqliteRegistry.open(dir).close(); // create the schema once, before the children race
        List<Process> children = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    MixedWriterChild.class.getName(), dir.toString(), String.valueOf(i), String.valueOf(MILLIS));
            pb.redirectError(dir.resolve("child-" + i + ".err").toFile());
            children.add(pb.start());
        }
        AtomicLong checks = new AtomicLong();
        Map<String, Integer> lastLength = new ConcurrentHashMap<>();
        List<String> acknowledged = new ArrayList<>();
        List<String> done = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (ModelRegistry r = SqliteRegistry.open(dir)) {
                while (children.stream().anyMatch(Process::isAlive)) {
                    for (String m : RegistryStressTests.STRESS_MODELS) {
                        RegistryStressTests.checkInvariants(r, m, lastLength);
                        checks.incrementAndGet();
                    }
                }
            }
        });
        List<Throwable> readerFailure = new ArrayList<>();
        reader.setUncaughtExceptionHandler((t, e) -> readerFailure.add(e));
        reader.start();
        for (int i = 0; i < CHILDREN; i++) {
            Process child = children.get(i);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("REGISTERED ")) {
                        acknowledged.add(line.substring("REGISTERED ".length()));
                    } else if (line.startsWith("DONE ")) {
                        done.add(line);
                    }
                }
            }
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("child %d; errors: %s", i, Files.readString(dir.resolve("child-" + i + ".err"))).isZero();
        }
        reader.join(120_000);
        assertThat(readerFailure).as("the reader's invariant checks").isEmpty();
        assertThat(done).hasSize(CHILDREN);

        try (ModelRegistry r = SqliteRegistry.open(dir)) {
            assertThat(r.verify().intact()).as("verify: %s", r.verify().firstProblem()).isTrue();
            for (String m : RegistryStressTests.STRESS_MODELS) {
                RegistryStressTests.checkInvariants(r, m, new ConcurrentHashMap<>());
            }
            for (String a : acknowledged) {
                String[] parts = a.split(" ");
                assertThat(r.findVersion(parts[0], SemVer.parse(parts[1]))).as("acknowledged %s", a).isPresent();
            }
        }
        System.out.printf("MultiProcessStressTest: %d processes %s, %d acknowledged registrations, %,d invariant checks by a reader process%n",
                CHILDREN, done, acknowledged.size(), checks.get());
    }
}
