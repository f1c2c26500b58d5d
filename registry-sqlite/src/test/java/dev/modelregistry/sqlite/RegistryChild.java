package dev.modelregistry.sqlite;

import dev.modelregistry.Bump;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A separate JVM process for the multi-process tests: registers versions with MINOR bumps and
 * promotes each through Staging into Production, racing its siblings on one database file. Prints
 * one line per successful call, flushed at once, so that the parent knows what was acknowledged
 * even if it kills this process:
 *
 * <pre>
 * REGISTERED 1.4.0
 * PROMOTED 1.4.0 STAGING 17
 * PROMOTED 1.4.0 PRODUCTION 19
 * </pre>
 *
 * Arguments: registry folder, model, worker id, maximum rounds, maximum milliseconds. The time
 * limit never cuts a worker short of {@value #MIN_ROUNDS} rounds, so on a slow, loaded machine the
 * processes still overlap and race rather than each finishing alone.
 */
public final class RegistryChild {
    static final int MIN_ROUNDS = 5;

    private RegistryChild() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        String model = args[1];
        Principal me = Principal.of("worker-" + args[2]);
        int rounds = Integer.parseInt(args[3]);
        long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000L;
        PrintStream out = System.out;
        out.println("READY");
        out.flush();
        try (ModelRegistry registry = SqliteRegistry.open(directory)) {
            for (int i = 0; i < rounds && (i < MIN_ROUNDS || System.nanoTime() < deadline); i++) {
                ModelVersion v = registry.register(me, Registration.of(model).bump(Bump.MINOR).reason("round " + i).build());
                out.println("REGISTERED " + v.version());
                out.flush();
                for (Stage stage : new Stage[] {Stage.STAGING, Stage.PRODUCTION}) {
                    StageChange c = registry.promote(me, model, v.version(), stage, "round " + i).change();
                    out.println("PROMOTED " + v.version() + " " + stage + " " + c.sequence());
                    out.flush();
                }
            }
        }
        out.println("DONE");
        out.flush();
    }
}
