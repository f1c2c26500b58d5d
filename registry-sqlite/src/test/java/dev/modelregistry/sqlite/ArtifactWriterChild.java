package dev.modelregistry.sqlite;

import dev.modelregistry.Bump;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Sha256;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

/**
 * A separate JVM for {@link KilledDuringArtifactWritesTest}: registers versions, each with a 4 MiB
 * artifact written through the filesystem artifact store, and prints one flushed line per
 * acknowledged registration ({@code REGISTERED 0.3.0 <sha256>}), so the parent knows what was
 * acknowledged when it kills this process.
 *
 * <p>Arguments: registry folder, model, seed, rounds.
 */
public final class ArtifactWriterChild {
    static final int ARTIFACT_BYTES = 4 * 1024 * 1024;

    private ArtifactWriterChild() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        String model = args[1];
        Random random = new Random(Long.parseLong(args[2]));
        int rounds = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        out.println("READY");
        out.flush();
        try (ModelRegistry registry = SqliteRegistry.open(directory)) {
            for (int i = 0; i < rounds; i++) {
                byte[] weights = new byte[ARTIFACT_BYTES];
                random.nextBytes(weights);
                ModelVersion v = registry.register(Principal.of("trainer"), Registration.of(model).bump(Bump.MINOR)
                        .artifact("model.bin", "application/octet-stream", weights).build());
                out.println("REGISTERED " + v.version() + " " + Sha256.digest(weights).hex());
                out.flush();
            }
        }
        out.println("DONE");
        out.flush();
    }
}
