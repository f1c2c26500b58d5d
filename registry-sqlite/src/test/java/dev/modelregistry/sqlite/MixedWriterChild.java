package dev.modelregistry.sqlite;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.testkit.RegistryStressTests;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A separate JVM for {@link MultiProcessStressTest}: mixes every write operation on the shared
 * models (the same workload as {@link RegistryStressTests}) until its time is up, printing one
 * flushed line per acknowledged registration ({@code REGISTERED alpha 1.4.0}), then
 * {@code DONE <operations> <refusals>}. An unexpected exception ends it with a stack trace and
 * exit code 1.
 *
 * <p>Arguments: registry folder, seed, milliseconds.
 */
public final class MixedWriterChild {
    private MixedWriterChild() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        long deadline = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000L;
        PrintStream out = System.out;
        out.println("READY");
        out.flush();
        long operations = 0;
        long refusals = 0;
        try (ModelRegistry registry = SqliteRegistry.open(directory)) {
            while (System.nanoTime() < deadline) {
                String model = RegistryStressTests.STRESS_MODELS.get(random.nextInt(RegistryStressTests.STRESS_MODELS.size()));
                Set<String> registered = ConcurrentHashMap.newKeySet();
                try {
                    RegistryStressTests.writeOnce(registry, random, model, registered);
                } catch (RuntimeException e) {
                    if (!RegistryStressTests.isExpectedRefusal(e)) {
                        throw e;
                    }
                    refusals++;
                }
                for (String v : registered) {
                    out.println("REGISTERED " + model + " " + v);
                    out.flush();
                }
                operations++;
            }
        }
        out.println("DONE " + operations + " " + refusals);
        out.flush();
    }
}
