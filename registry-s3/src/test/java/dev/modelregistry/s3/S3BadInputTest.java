package dev.modelregistry.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.BadInput;
import dev.modelregistry.testkit.RegistryBadInputTests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bad-input corpus on the S3 backend, plus log objects that are not JSON: another registry's
 * bucket prefix where a log object was replaced by junk, truncated JSON or an empty body through the
 * raw client. Reading that model must fail with {@link IntegrityException} naming the object.
 */
class S3BadInputTest extends RegistryBadInputTests {
    @Override
    protected Backend openBackend(Path dir) {
        String prefix = S3MockServer.uniquePrefix("bad-input");
        Linearizer linearizer = new Linearizer();
        return () -> S3Registry.builder(S3ConformanceTest.config(prefix, linearizer));
    }

    /** The S3 store moves its change token whenever it checks the bucket, changed or not. */
    @Override
    protected boolean changeTokenMovesOnlyOnChange() {
        return false;
    }

    @Override
    protected List<BadInput> backendInputs() {
        return List.of(
                junkLogObject("a log object that is not JSON", "\u0000\u0001 not json at all"),
                junkLogObject("a log object with truncated JSON", "{\"model\":\"m\",\"sequence\":1,\"event\":{\"type\""),
                junkLogObject("an empty log object", ""),
                junkLogObject("a log object holding a JSON array", "[1,2,3]"));
    }

    /** A model in a prefix of its own whose first log object is then overwritten with {@code body}. */
    private static BadInput junkLogObject(String description, String body) {
        return BadInput.of(description, IntegrityException.class, "Log object", registry -> {
            String prefix = S3MockServer.uniquePrefix("junk-log");
            S3Config config = S3Config.builder(S3MockServer.BUCKET).prefix(prefix).client(S3MockServer.client()).build();
            try (ModelRegistry writer = S3Registry.builder(config).build()) {
                writer.register(Principal.of("root"), Registration.of("m").version("1.0.0").build());
            }
            String key = S3MockServer.keysUnder(prefix + "/models/m/log/").get(0);
            S3MockServer.client().putObject(r -> r.bucket(S3MockServer.BUCKET).key(key), RequestBody.fromString(body, StandardCharsets.UTF_8));
            try (ModelRegistry reader = S3Registry.builder(config).build()) {
                assertThat(reader.models()).isNotEmpty();
                reader.log("m");
            }
        });
    }
}
