package dev.modelregistry.serving;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import java.nio.charset.StandardCharsets;

/** Registers versions whose single artifact is the text {@code weights of <version>}. */
final class Fixtures {
    static final Principal ALICE = Principal.of("alice");
    static final String MODEL = "fraud";

    private Fixtures() {
    }

    static String contentOf(String version) {
        return "weights of " + version;
    }

    static ModelVersion register(ModelRegistry registry, String version) {
        return registry.register(ALICE, Registration.of(MODEL).version(version)
                .artifact("model.bin", "application/octet-stream", contentOf(version).getBytes(StandardCharsets.UTF_8)).build());
    }

    /** Registers {@code version} and promotes it through Staging into Production. */
    static ModelVersion release(ModelRegistry registry, String version) {
        ModelVersion v = register(registry, version);
        promote(registry, version);
        return v;
    }

    static void promote(ModelRegistry registry, String version) {
        registry.promote(ALICE, MODEL, SemVer.parse(version), Stage.STAGING, "tests passed");
        registry.promote(ALICE, MODEL, SemVer.parse(version), Stage.PRODUCTION, "approved");
    }
}
