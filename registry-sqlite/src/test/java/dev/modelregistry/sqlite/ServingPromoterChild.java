package dev.modelregistry.sqlite;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Another process for {@link ServingCrossProcessTest}: opens the registry folder {@code args[0]}
 * and obeys one command per line of standard input, answering one line each (flushed):
 *
 * <pre>
 * RELEASE 1.1.0   → RELEASED 1.1.0      (register with artifact "weights of 1.1.0", promote to Staging and Production)
 * ROLLBACK        → ROLLED_BACK 1.0.0   (the version now in Production)
 * </pre>
 *
 * It prints {@code READY} first and exits when its input closes.
 */
public final class ServingPromoterChild {
    static final String MODEL = "fraud";

    private ServingPromoterChild() {
    }

    public static void main(String[] args) throws Exception {
        Principal ops = Principal.of("release-bot");
        PrintStream out = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (ModelRegistry registry = SqliteRegistry.open(Path.of(args[0]))) {
            out.println("READY");
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("RELEASE ")) {
                    SemVer v = SemVer.parse(line.substring(8));
                    registry.register(ops, Registration.of(MODEL).version(v)
                            .artifact("model.bin", "application/octet-stream", ("weights of " + v).getBytes(StandardCharsets.UTF_8)).build());
                    registry.promote(ops, MODEL, v, Stage.STAGING, "tests passed");
                    registry.promote(ops, MODEL, v, Stage.PRODUCTION, "approved");
                    out.println("RELEASED " + v);
                } else if (line.equals("ROLLBACK")) {
                    registry.rollback(ops, MODEL, Stage.PRODUCTION, "error rate up");
                    out.println("ROLLED_BACK " + registry.getCurrent(MODEL, Stage.PRODUCTION).version());
                } else {
                    out.println("UNKNOWN " + line);
                }
                out.flush();
            }
        }
    }
}
