package dev.modelregistry.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.InvalidNameException;
import dev.modelregistry.InvalidVersionException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.Limits;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Provenance;
import dev.modelregistry.MetadataTooLargeException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelSummary;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Page;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Signature;
import dev.modelregistry.Signature.Field;
import dev.modelregistry.Stage;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.StageChange;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.LogEntry;
import dev.modelregistry.StageChanged;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first part of the conformance suite: registering, resolving, searching, the lifecycle,
 * rollback, the audit trail and races; and the fixture every part shares. Backends do not extend
 * this class directly but {@link RegistryConformanceTests}, which gathers every part:
 *
 * <pre>{@code
 * class InMemoryConformanceTest extends RegistryConformanceTests {
 *     protected Backend openBackend(Path dir) {
 *         InMemoryEventStore events = new InMemoryEventStore();
 *         InMemoryArtifactStore artifacts = new InMemoryArtifactStore();
 *         return () -> ModelRegistry.builder().eventStore(events).artifactStore(artifacts);
 *     }
 * }
 * }</pre>
 *
 * Every test goes through the public API only. Races use real threads and several registry
 * instances over one backend; nothing sleeps.
 */
public abstract class CoreConformanceTests {
    protected static final Principal ALICE = Principal.of("alice", "data-scientist");
    protected static final Principal BOB = Principal.of("bob", "ml-engineer");
    protected static final String MODEL = "fraud-detector";

    @TempDir
    protected Path tempDir;

    protected Backend backend;
    protected ManualClock clock;
    protected ModelRegistry registry;
    private final List<ModelRegistry> opened = new ArrayList<>();

    /** Opens a fresh, empty backend that keeps whatever files it needs under {@code dir}. */
    protected abstract Backend openBackend(Path dir) throws Exception;

    /** How many threads the race tests use; a backend may lower it where its writers serialise. */
    protected int raceThreads() {
        return 8;
    }

    @BeforeEach
    void openRegistry() throws Exception {
        backend = openBackend(tempDir);
        clock = ManualClock.startingAtEpochOf2024();
        registry = newRegistry();
    }

    @AfterEach
    void closeRegistries() throws Exception {
        for (ModelRegistry r : opened) {
            r.close();
        }
        backend.close();
    }

    /** Another registry over the same backend, as another process would open it. */
    protected ModelRegistry newRegistry() {
        return newRegistry(Lifecycle.defaults());
    }

    protected ModelRegistry newRegistry(Lifecycle lifecycle) {
        return track(backend.registryBuilder().clock(clock).lifecycle(lifecycle).build());
    }

    /** Closes {@code r} after the test. */
    protected ModelRegistry track(ModelRegistry r) {
        opened.add(r);
        return r;
    }

    protected ModelVersion register(String model, String version) {
        return registry.register(ALICE, Registration.of(model).version(version).build());
    }

    protected static SemVer v(String text) {
        return SemVer.parse(text);
    }

    protected int logLength(String model) {
        return registry.findModel(model).map(s -> (int) s.logLength()).orElse(0);
    }

    private static Signature signature(List<Field> inputs, List<Field> outputs) {
        return Signature.of(inputs, outputs);
    }

    private static final Signature BASE_SIGNATURE = signature(
            List.of(Field.of("amount", "double"), Field.of("country", "string")),
            List.of(Field.of("score", "double")));

    private ModelVersion registerWith(Bump bump, Signature sig) {
        return registry.register(ALICE, Registration.of(MODEL).bump(bump).signature(sig).build());
    }

    // =====================================================================================
    @Nested
    @DisplayName("registering a version")
    class Registering {

        @Test
        @DisplayName("keeps every field of the version record exactly as given")
        void keepsEveryField() throws IOException {
            byte[] bytes = "weights".getBytes(StandardCharsets.UTF_8);
            clock.set(Instant.parse("2024-03-04T05:06:07.123456Z"));
            ModelVersion registered = registry.register(ALICE, Registration.of(MODEL)
                    .version("1.5.0")
                    .tag("fraud-detector-2023-10-27")
                    .framework("tribuo", "4.3.1")
                    .hyperparameter("learningRate", 0.05)
                    .hyperparameter("layers", List.of(64, 32))
                    .hyperparameter("optimizer", Map.of("name", "adam", "beta1", 0.9))
                    .signature(BASE_SIGNATURE)
                    .metric("auc", 0.91)
                    .metric("f1", 0.77)
                    .artifact("model.bin", "application/octet-stream", bytes)
                    .code("https://example.org/repo", "3f2c1e0", "train.py")
                    .containerImage("sha256:" + "a".repeat(64))
                    .environmentFile("env/conda.yaml")
                    .trainingRun("run-42", Instant.parse("2024-03-04T01:00:00Z"), Instant.parse("2024-03-04T04:00:00Z"), Map.of("epochs", "10"))
                    .dataset(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"))
                    .evaluationSet(DatasetRef.deltaVersion("s3://data/holdout", 7))
                    .description("Gradient-boosted fraud model")
                    .label("team", "risk")
                    .reason("weekly retrain")
                    .build());

            ModelVersion read = newRegistry().getVersion(MODEL, v("1.5.0"));
            assertThat(read).isEqualTo(registered);
            assertThat(read.model()).isEqualTo(ModelName.of(MODEL));
            assertThat(read.tags()).containsExactly("fraud-detector-2023-10-27");
            assertThat(read.author()).isEqualTo("alice");
            assertThat(read.createdAt()).isEqualTo(Instant.parse("2024-03-04T05:06:07.123456Z"));
            assertThat(read.framework()).isEqualTo("tribuo");
            assertThat(read.frameworkVersion()).isEqualTo("4.3.1");
            assertThat(read.hyperparameters().get("learningRate").asDouble()).isEqualTo(0.05);
            assertThat(read.hyperparameters().get("layers").toString()).isEqualTo("[64,32]");
            assertThat(read.hyperparameters().get("optimizer").get("name").asText()).isEqualTo("adam");
            assertThat(read.signature()).isEqualTo(BASE_SIGNATURE);
            assertThat(read.metrics()).containsEntry("auc", 0.91).containsEntry("f1", 0.77);
            assertThat(read.artifacts()).singleElement().satisfies(a -> {
                assertThat(a.name()).isEqualTo("model.bin");
                assertThat(a.size()).isEqualTo(bytes.length);
                assertThat(a.sha256()).isEqualTo(Sha256.digest(bytes));
                assertThat(a.mediaType()).isEqualTo("application/octet-stream");
            });
            Provenance p = read.provenance();
            assertThat(p.code()).isEqualTo(new Provenance.CodeRef("https://example.org/repo", "3f2c1e0", "train.py"));
            assertThat(p.containerImageDigest()).startsWith("sha256:");
            assertThat(p.environmentFile()).isEqualTo("env/conda.yaml");
            assertThat(p.run().id()).isEqualTo("run-42");
            assertThat(p.run().parameters()).containsEntry("epochs", "10");
            assertThat(p.datasets()).containsExactly(DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0"));
            assertThat(p.evaluationSets()).extracting(DatasetRef::id).containsExactly("s3://data/holdout@delta:7");
            assertThat(p.runtime().javaVersion()).isEqualTo(System.getProperty("java.version"));
            assertThat(read.description()).isEqualTo("Gradient-boosted fraud model");
            assertThat(read.labels()).containsEntry("team", "risk");
            assertThat(registry.log(MODEL)).last().satisfies(e -> assertThat(e.reason()).isEqualTo("weekly retrain"));
            try (InputStream in = registry.openArtifact(MODEL, v("1.5.0"), "model.bin")) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
        }

        @Test
        @DisplayName("hands out hyperparameters that callers cannot change")
        void hyperparametersAreImmutable() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").hyperparameter("layers", List.of(1, 2)).build());
            JsonNode layers = registry.getVersion(MODEL, v("1.0.0")).hyperparameters().get("layers");
            ((com.fasterxml.jackson.databind.node.ArrayNode) layers).add(3);
            assertThat(registry.getVersion(MODEL, v("1.0.0")).hyperparameters().get("layers").size()).isEqualTo(2);
        }

        @Test
        @DisplayName("refuses a version that already exists, also when only build metadata differs, and changes nothing")
        void duplicateVersion() {
            register(MODEL, "1.0.0");
            int before = logLength(MODEL);
            assertThatThrownBy(() -> register(MODEL, "1.0.0")).isInstanceOf(AlreadyExistsException.class).hasMessageContaining("1.0.0");
            assertThatThrownBy(() -> register(MODEL, "1.0.0+build.7")).isInstanceOf(AlreadyExistsException.class);
            assertThat(logLength(MODEL)).isEqualTo(before);
        }

        @Test
        @DisplayName("refuses a tag already used in the model, and changes nothing")
        void duplicateTag() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").tag("champion").build());
            int before = logLength(MODEL);
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of(MODEL).version("1.1.0").tag("champion").build()))
                    .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("champion").hasMessageContaining("1.0.0");
            assertThat(logLength(MODEL)).isEqualTo(before);
            assertThat(registry.findVersion(MODEL, v("1.1.0"))).isEmpty();
        }

        @Test
        @DisplayName("allows the same tag and version in different models")
        void tagsArePerModel() {
            registry.register(ALICE, Registration.of("a").version("1.0.0").tag("champion").build());
            registry.register(ALICE, Registration.of("b").version("1.0.0").tag("champion").build());
            assertThat(registry.findByTag("a", "champion")).isPresent();
            assertThat(registry.findByTag("b", "champion")).isPresent();
            assertThat(registry.models()).containsExactly(ModelName.of("a"), ModelName.of("b"));
        }

        @Test
        @DisplayName("refuses tags that read as a version, a range, a stage or latest")
        void ambiguousTags() {
            for (String tag : List.of("1.2.3", "v1", "latest", "production", "Staging", "x", "1.x")) {
                assertThatThrownBy(() -> registry.register(ALICE, Registration.of(MODEL).version("1.0.0").tag(tag).build()))
                        .as(tag).isInstanceOf(InvalidNameException.class).hasMessageContaining(tag);
            }
            assertThat(registry.models()).isEmpty();
        }

        @Test
        @DisplayName("refuses invalid model names, naming the value")
        void invalidNames() {
            List<String> bad = List.of("", " ", "a/b", "../etc", "a..b", "-lead", ".hidden", "has space", "tab\tname",
                    "new\nline", "caf\u00e9", "\u0430pple", "x".repeat(129), "semi;colon", "quote'", "nul\u0000");
            for (String name : bad) {
                assertThatThrownBy(() -> Registration.of(name)).as(name).isInstanceOf(InvalidNameException.class)
                        .hasMessageContaining("model name");
            }
            assertThat(Registration.of("x".repeat(128)).build().model().value()).hasSize(128);
            assertThat(registry.models()).isEmpty();
        }

        @Test
        @DisplayName("refuses an invalid version with InvalidVersionException")
        void invalidVersion() {
            for (String text : List.of("1", "1.2", "01.2.3", "1.2.3-", "latest", "1.2.3.4", "")) {
                assertThatThrownBy(() -> Registration.of(MODEL).version(text)).as(text).isInstanceOf(InvalidVersionException.class);
            }
        }

        @Test
        @DisplayName("refuses NaN and infinite metrics")
        void nonFiniteMetrics() {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                assertThatThrownBy(() -> Registration.of(MODEL).metric("auc", bad)).isInstanceOf(ValidationException.class)
                        .hasMessageContaining("auc");
            }
            assertThatThrownBy(() -> Registration.of(MODEL).hyperparameter("lr", Double.NaN)).isInstanceOf(ValidationException.class);
        }

        @Test
        @DisplayName("refuses metadata over the documented limits and changes nothing")
        void metadataLimits() {
            assertThatThrownBy(() -> Registration.of(MODEL).description("d".repeat(Limits.MAX_DESCRIPTION_CHARS + 1)))
                    .isInstanceOf(MetadataTooLargeException.class);
            assertThatThrownBy(() -> Registration.of(MODEL).hyperparameter("blob", "h".repeat(Limits.MAX_HYPERPARAMETER_BYTES + 1)))
                    .isInstanceOf(MetadataTooLargeException.class);
            Registration.Builder huge = Registration.of(MODEL).version("1.0.0");
            for (int i = 0; i < 200; i++) {
                huge.label("k" + i, "v".repeat(Limits.MAX_LABEL_VALUE_CHARS));
            }
            for (int i = 0; i < 60; i++) {
                huge.hyperparameter("h" + i, "x".repeat(4000));
            }
            huge.description("d".repeat(Limits.MAX_DESCRIPTION_CHARS));
            for (int i = 0; i < 7000; i++) {
                huge.metric("metric-with-a-long-name-" + "m".repeat(80) + i, i);
            }
            Registration tooBig = huge.build();
            assertThatThrownBy(() -> registry.register(ALICE, tooBig)).isInstanceOf(MetadataTooLargeException.class)
                    .hasMessageContaining(String.valueOf(Limits.MAX_VERSION_RECORD_BYTES));
            Object nested = "leaf";
            for (int i = 0; i < Limits.MAX_JSON_DEPTH + 5; i++) {
                nested = List.of(nested);
            }
            Object deep = nested;
            assertThatThrownBy(() -> Registration.of(MODEL).hyperparameter("deep", deep)).isInstanceOf(MetadataTooLargeException.class);
            assertThat(registry.models()).isEmpty();
        }

        @Test
        @DisplayName("refuses an artifact whose bytes do not match the expected digest, storing no version")
        void artifactDigestMismatch() {
            byte[] bytes = "real bytes".getBytes(StandardCharsets.UTF_8);
            Sha256 wrong = Sha256.digest("other bytes".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of(MODEL).version("1.0.0")
                    .artifact("model.bin", null, new ByteArrayInputStream(bytes), wrong).build()))
                    .isInstanceOf(IntegrityException.class).hasMessageContaining(wrong.hex());
            assertThat(registry.models()).isEmpty();
        }

        @Test
        @DisplayName("stores artifacts from files, verifying an expected digest")
        void artifactFromFile() throws IOException {
            Path file = tempDir.resolve("weights.bin");
            byte[] bytes = new byte[300_000];
            new java.util.Random(7).nextBytes(bytes);
            Files.write(file, bytes);
            ModelVersion mv = registry.register(ALICE, Registration.of(MODEL).version("1.0.0")
                    .artifact("weights.bin", "application/x-weights", file, Sha256.digest(bytes)).build());
            Path out = registry.downloadArtifact(MODEL, mv.version(), "weights.bin", tempDir.resolve("download/weights.bin"));
            assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
            assertThatThrownBy(() -> registry.openArtifact(MODEL, mv.version(), "missing.bin")).isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("refers to content already in the artifact store, and refuses a reference to missing content")
        void existingArtifactReference() {
            ModelVersion first = registry.register(ALICE, Registration.of(MODEL).version("1.0.0")
                    .artifact("model.bin", null, "shared".getBytes(StandardCharsets.UTF_8)).build());
            ArtifactRef ref = first.artifact("model.bin");
            ModelVersion second = registry.register(ALICE, Registration.of(MODEL).version("1.0.1").artifact(ref).build());
            assertThat(second.artifact("model.bin").sha256()).isEqualTo(ref.sha256());
            ArtifactRef missing = new ArtifactRef("ghost.bin", ref.uri(), Sha256.digest(new byte[] {1}), 1, null);
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of(MODEL).version("1.0.2").artifact(missing).build()))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining(missing.sha256().hex());
            assertThat(registry.findVersion(MODEL, v("1.0.2"))).isEmpty();
        }

        @Test
        @DisplayName("refuses a principal-less change")
        void needsPrincipal() {
            assertThatThrownBy(() -> registry.register(null, Registration.of(MODEL).version("1.0.0").build()))
                    .isInstanceOf(ValidationException.class);
            assertThat(registry.models()).isEmpty();
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("choosing the version")
    class ChoosingVersions {

        @Test
        @DisplayName("bumps MAJOR, MINOR and PATCH from the highest existing version")
        void bumps() {
            register(MODEL, "1.2.3");
            register(MODEL, "0.9.0");
            assertThat(registry.register(ALICE, Registration.of(MODEL).bump(Bump.PATCH).build()).version()).isEqualTo(v("1.2.4"));
            assertThat(registry.register(ALICE, Registration.of(MODEL).bump(Bump.MINOR).build()).version()).isEqualTo(v("1.3.0"));
            assertThat(registry.register(ALICE, Registration.of(MODEL).bump(Bump.MAJOR).build()).version()).isEqualTo(v("2.0.0"));
        }

        @Test
        @DisplayName("bumps a pre-release the way node-semver's inc does")
        void bumpsPreRelease() {
            register(MODEL, "2.0.0-rc.1");
            assertThat(registry.register(ALICE, Registration.of(MODEL).bump(Bump.MAJOR).build()).version()).isEqualTo(v("2.0.0"));
        }

        @Test
        @DisplayName("starts a new model at 1.0.0 under AUTO, and at node-semver's increments of 0.0.0 otherwise")
        void firstVersion() {
            assertThat(registry.register(ALICE, Registration.of("a").build()).version()).isEqualTo(v("1.0.0"));
            assertThat(registry.register(ALICE, Registration.of("b").bump(Bump.MINOR).build()).version()).isEqualTo(v("0.1.0"));
            assertThat(registry.register(ALICE, Registration.of("c").bump(Bump.PATCH).build()).version()).isEqualTo(v("0.0.1"));
        }

        @Test
        @DisplayName("AUTO derives MAJOR from a removed or retyped input or output, or an input added without a default")
        void autoMajor() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").signature(BASE_SIGNATURE).build());
            assertThat(registerWith(Bump.AUTO, signature(List.of(Field.of("amount", "double")), List.of(Field.of("score", "double"))))
                    .version()).isEqualTo(v("2.0.0"));
            assertThat(registerWith(Bump.AUTO, signature(List.of(Field.of("amount", "float")), List.of(Field.of("score", "double"))))
                    .version()).isEqualTo(v("3.0.0"));
            assertThat(registerWith(Bump.AUTO, signature(List.of(Field.of("amount", "float"), Field.of("age", "int")), List.of(Field.of("score", "double"))))
                    .version()).isEqualTo(v("4.0.0"));
            assertThat(registerWith(Bump.AUTO, signature(List.of(Field.of("amount", "float"), Field.of("age", "int")), List.of(Field.of("label", "int"))))
                    .version()).isEqualTo(v("5.0.0"));
        }

        @Test
        @DisplayName("AUTO derives MINOR from added inputs with defaults or added outputs, and PATCH otherwise")
        void autoMinorAndPatch() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").signature(BASE_SIGNATURE).build());
            List<Field> moreInputs = new ArrayList<>(BASE_SIGNATURE.inputs());
            moreInputs.add(Field.withDefault("channel", "string"));
            assertThat(registerWith(Bump.AUTO, signature(moreInputs, BASE_SIGNATURE.outputs())).version()).isEqualTo(v("1.1.0"));
            List<Field> moreOutputs = List.of(Field.of("score", "double"), Field.of("explanation", "string"));
            assertThat(registerWith(Bump.AUTO, signature(moreInputs, moreOutputs)).version()).isEqualTo(v("1.2.0"));
            assertThat(registerWith(Bump.AUTO, signature(moreInputs, moreOutputs)).version()).isEqualTo(v("1.2.1"));
        }

        @Test
        @DisplayName("refuses a bump that understates a breaking change, naming the change, and changes nothing")
        void understatedBump() {
            registry.register(ALICE, Registration.of(MODEL).version("1.0.0").signature(BASE_SIGNATURE).build());
            Signature removed = signature(List.of(Field.of("amount", "double")), BASE_SIGNATURE.outputs());
            int before = logLength(MODEL);
            assertThatThrownBy(() -> registerWith(Bump.MINOR, removed))
                    .isInstanceOf(BreakingChangeException.class)
                    .hasMessageContaining("input \"country\" removed")
                    .satisfies(e -> assertThat(((BreakingChangeException) e).required()).isEqualTo(Bump.MAJOR));
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of(MODEL).version("1.1.0").signature(removed).build()))
                    .isInstanceOf(BreakingChangeException.class).hasMessageContaining("country");
            List<Field> added = new ArrayList<>(BASE_SIGNATURE.inputs());
            added.add(Field.withDefault("channel", "string"));
            assertThatThrownBy(() -> registry.register(ALICE, Registration.of(MODEL).version("1.0.1")
                    .signature(signature(added, BASE_SIGNATURE.outputs())).build()))
                    .isInstanceOf(BreakingChangeException.class).hasMessageContaining("channel");
            assertThat(logLength(MODEL)).isEqualTo(before);
            assertThat(registry.register(ALICE, Registration.of(MODEL).version("2.0.0").signature(removed).build()).version())
                    .isEqualTo(v("2.0.0"));
        }

        @Test
        @DisplayName("checks an explicit back-port against the version just below it")
        void backport() {
            registry.register(ALICE, Registration.of(MODEL).version("1.4.0").signature(BASE_SIGNATURE).build());
            registry.register(ALICE, Registration.of(MODEL).version("2.0.0").signature(Signature.of(List.of(Field.of("x", "int")), List.of())).build());
            assertThat(registry.register(ALICE, Registration.of(MODEL).version("1.4.1").signature(BASE_SIGNATURE).build()).version())
                    .isEqualTo(v("1.4.1"));
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("resolving versions")
    class Resolving {

        @BeforeEach
        void versions() {
            register(MODEL, "1.0.0");
            registry.register(ALICE, Registration.of(MODEL).version("1.2.0").tag("champion").build());
            register(MODEL, "1.10.0");
            register(MODEL, "2.0.0-beta.1");
            register(MODEL, "1.3.0");
        }

        @Test
        @DisplayName("by exact version, tag, range, and latest registration")
        void byEachSelector() {
            assertThat(registry.findVersion(MODEL, v("1.2.0"))).map(ModelVersion::version).contains(v("1.2.0"));
            assertThat(registry.findVersion(MODEL, v("9.9.9"))).isEmpty();
            assertThat(registry.findByTag(MODEL, "champion")).map(ModelVersion::version).contains(v("1.2.0"));
            assertThat(registry.findByTag(MODEL, "nobody")).isEmpty();
            assertThat(registry.findHighest(MODEL, VersionRange.parse("^1.2"))).map(ModelVersion::version).contains(v("1.10.0"));
            assertThat(registry.findHighest(MODEL, VersionRange.parse("~1.2"))).map(ModelVersion::version).contains(v("1.2.0"));
            assertThat(registry.findHighest(MODEL, VersionRange.parse(">=2.0.0-0"))).map(ModelVersion::version).contains(v("2.0.0-beta.1"));
            assertThat(registry.findHighest(MODEL, VersionRange.parse("*"))).map(ModelVersion::version).contains(v("1.10.0"));
            assertThat(registry.findHighest(MODEL, VersionRange.parse("^3"))).isEmpty();
            assertThat(registry.findLatest(MODEL)).map(ModelVersion::version).contains(v("1.3.0"));
        }

        @Test
        @DisplayName("by reference text model@selector")
        void byReference() {
            registry.promote(ALICE, MODEL, v("1.3.0"), Stage.STAGING, "");
            assertThat(registry.resolve(MODEL + "@1.2.0").version()).isEqualTo(v("1.2.0"));
            assertThat(registry.resolve(MODEL + "@v1.2.0").version()).isEqualTo(v("1.2.0"));
            assertThat(registry.resolve(MODEL + "@champion").version()).isEqualTo(v("1.2.0"));
            assertThat(registry.resolve(MODEL + "@^1.0").version()).isEqualTo(v("1.10.0"));
            assertThat(registry.resolve(MODEL + "@latest").version()).isEqualTo(v("1.3.0"));
            assertThat(registry.resolve(MODEL + "@staging").version()).isEqualTo(v("1.3.0"));
            assertThatThrownBy(() -> registry.resolve(MODEL + "@production")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> registry.resolve(MODEL)).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> registry.resolve("no-such-model@1.0.0")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> registry.resolve(MODEL + "@not a selector!")).isInstanceOf(ValidationException.class);
        }

        @Test
        @DisplayName("reports a missing model or version as empty or NotFoundException")
        void missing() {
            assertThat(registry.findVersion("ghost", v("1.0.0"))).isEmpty();
            assertThat(registry.findModel("ghost")).isEmpty();
            assertThat(registry.findCurrent("ghost", Stage.PRODUCTION)).isEmpty();
            assertThatThrownBy(() -> registry.getVersion("ghost", v("1.0.0"))).isInstanceOf(NotFoundException.class).hasMessageContaining("ghost");
            assertThatThrownBy(() -> registry.getVersion(MODEL, v("7.0.0"))).isInstanceOf(NotFoundException.class).hasMessageContaining("7.0.0");
            assertThatThrownBy(() -> registry.getCurrent(MODEL, Stage.PRODUCTION)).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> registry.log("ghost")).isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> registry.findVersion("bad/name", v("1.0.0"))).isInstanceOf(InvalidNameException.class);
        }

        @Test
        @DisplayName("summarises a model")
        void summary() {
            registry.promote(ALICE, MODEL, v("1.2.0"), Stage.STAGING, "");
            ModelSummary s = registry.findModel(MODEL).orElseThrow();
            assertThat(s.versionCount()).isEqualTo(5);
            assertThat(s.highestVersion()).isEqualTo(v("2.0.0-beta.1"));
            assertThat(s.latestVersion()).isEqualTo(v("1.3.0"));
            assertThat(s.current(Stage.STAGING)).contains(v("1.2.0"));
            assertThat(s.logLength()).isEqualTo(7);
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("searching versions")
    class Searching {

        @BeforeEach
        void versions() {
            for (int i = 0; i < 25; i++) {
                clock.advance(Duration.ofMinutes(1));
                registry.register(ALICE, Registration.of(MODEL).version("1." + i + ".0")
                        .metric("auc", 0.5 + (i % 10) / 100.0)
                        .label("team", i % 2 == 0 ? "risk" : "growth")
                        .build());
            }
            registry.promote(ALICE, MODEL, v("1.3.0"), Stage.STAGING, "");
            registry.promote(ALICE, MODEL, v("1.4.0"), Stage.STAGING, "");
        }

        @Test
        @DisplayName("filters by stage, label and metric threshold")
        void filters() {
            assertThat(registry.search(MODEL, VersionQuery.builder().stage(Stage.STAGING).build()).items())
                    .extracting(ModelVersion::version).containsExactly(v("1.4.0"), v("1.3.0"));
            assertThat(registry.search(MODEL, VersionQuery.builder().label("team", "risk").metricAtLeast("auc", 0.58).build()).items())
                    .extracting(ModelVersion::version).containsExactly(v("1.18.0"), v("1.8.0"));
            assertThat(registry.search(MODEL, VersionQuery.builder().metricAtMost("auc", 0.5).build()).items())
                    .extracting(ModelVersion::version).containsExactly(v("1.20.0"), v("1.10.0"), v("1.0.0"));
            assertThatThrownBy(() -> registry.search("ghost", VersionQuery.all())).isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("ghost");
        }

        @Test
        @DisplayName("pages through every match exactly once by keyset, even while versions are added")
        void keysetPaging() {
            List<SemVer> seen = new ArrayList<>();
            VersionQuery.Builder q = VersionQuery.builder().orderBy(VersionQuery.Order.VERSION_ASC).limit(7);
            Page<ModelVersion> page = registry.search(MODEL, q.build());
            seen.addAll(page.items().stream().map(ModelVersion::version).toList());
            register(MODEL, "0.1.0");
            while (page.hasNext()) {
                page = registry.search(MODEL, VersionQuery.builder().orderBy(VersionQuery.Order.VERSION_ASC).limit(7)
                        .after(page.nextCursor()).build());
                seen.addAll(page.items().stream().map(ModelVersion::version).toList());
            }
            assertThat(seen).hasSize(25).doesNotHaveDuplicates().isSorted();
        }

        @Test
        @DisplayName("orders by a metric or by creation time, ties broken by version")
        void ordering() {
            List<SemVer> byAuc = registry.search(MODEL, VersionQuery.builder().orderBy(VersionQuery.Order.METRIC_DESC, "auc").limit(3).build())
                    .items().stream().map(ModelVersion::version).toList();
            assertThat(byAuc).containsExactly(v("1.19.0"), v("1.9.0"), v("1.18.0"));
            Page<ModelVersion> first = registry.search(MODEL, VersionQuery.builder().orderBy(VersionQuery.Order.METRIC_DESC, "auc").limit(3).build());
            Page<ModelVersion> second = registry.search(MODEL, VersionQuery.builder().orderBy(VersionQuery.Order.METRIC_DESC, "auc").limit(3)
                    .after(first.nextCursor()).build());
            assertThat(second.items()).extracting(ModelVersion::version).containsExactly(v("1.8.0"), v("1.17.0"), v("1.7.0"));
            assertThat(registry.search(MODEL, VersionQuery.builder().orderBy(VersionQuery.Order.CREATED_DESC).limit(2).build()).items())
                    .extracting(ModelVersion::version).containsExactly(v("1.24.0"), v("1.23.0"));
        }

        @Test
        @DisplayName("refuses a cursor that is malformed or belongs to another order")
        void badCursor() {
            assertThatThrownBy(() -> VersionQuery.builder().after("%%%").build()).isInstanceOf(ValidationException.class);
            String cursor = registry.search(MODEL, VersionQuery.builder().limit(1).build()).nextCursor();
            assertThatThrownBy(() -> VersionQuery.builder().orderBy(VersionQuery.Order.CREATED_ASC).after(cursor).build())
                    .isInstanceOf(ValidationException.class).hasMessageContaining("CREATED_ASC");
            assertThatThrownBy(() -> VersionQuery.builder().limit(0)).isInstanceOf(ValidationException.class);
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("moving through the lifecycle")
    class Lifecycles {

        @BeforeEach
        void versions() {
            register(MODEL, "1.0.0");
            register(MODEL, "1.1.0");
            register(MODEL, "1.2.0");
        }

        @Test
        @DisplayName("promotes through Staging into Production")
        void promotes() {
            StageChange toStaging = registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "tests green").change();
            assertThat(toStaging.from()).isEqualTo(Stage.NONE);
            assertThat(toStaging.to()).isEqualTo(Stage.STAGING);
            assertThat(toStaging.kind()).isEqualTo(StageChange.Kind.PROMOTION);
            assertThat(toStaging.principal()).isEqualTo("alice");
            assertThat(toStaging.reason()).isEqualTo("tests green");
            registry.promote(BOB, MODEL, v("1.0.0"), Stage.PRODUCTION, "approved");
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.0.0"));
            assertThat(registry.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.PRODUCTION);
            assertThat(registry.stageOf(MODEL, v("1.1.0"))).isEqualTo(Stage.NONE);
            assertThat(newRegistry().getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.0.0"));
        }

        @Test
        @DisplayName("promoting into Production archives the previous holder in the same atomic append")
        void exclusiveStage() {
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "");
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, "");
            registry.promote(ALICE, MODEL, v("1.1.0"), Stage.STAGING, "");
            clock.advance(Duration.ofSeconds(5));
            registry.promote(ALICE, MODEL, v("1.1.0"), Stage.PRODUCTION, "better auc");
            assertThat(registry.versionsIn(MODEL, Stage.PRODUCTION)).extracting(ModelVersion::version).containsExactly(v("1.1.0"));
            assertThat(registry.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.ARCHIVED);
            List<LogEntry> log = registry.log(MODEL);
            LogEntry displaced = log.get(log.size() - 2);
            LogEntry promoted = log.get(log.size() - 1);
            assertThat(((StageChanged) displaced.event()).kind()).isEqualTo(StageChange.Kind.DISPLACED);
            assertThat(((StageChanged) displaced.event()).version()).isEqualTo(v("1.0.0"));
            assertThat(((StageChanged) promoted.event()).version()).isEqualTo(v("1.1.0"));
            assertThat(displaced.time()).isEqualTo(promoted.time());
            assertThat(promoted.reason()).isEqualTo("better auc");
        }

        @Test
        @DisplayName("keeps several versions in a shared stage, the latest entrant being current")
        void sharedStage() {
            registry.promote(ALICE, MODEL, v("1.2.0"), Stage.STAGING, "");
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "");
            assertThat(registry.versionsIn(MODEL, Stage.STAGING)).extracting(ModelVersion::version).containsExactly(v("1.2.0"), v("1.0.0"));
            assertThat(registry.getCurrent(MODEL, Stage.STAGING).version()).isEqualTo(v("1.0.0"));
        }

        @Test
        @DisplayName("refuses transitions the lifecycle does not allow, unknown stages and missing versions, changing nothing")
        void refusals() {
            int before = logLength(MODEL);
            assertThatThrownBy(() -> registry.promote(ALICE, MODEL, v("1.0.0"), Stage.PRODUCTION, ""))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("NONE").hasMessageContaining("PRODUCTION");
            assertThatThrownBy(() -> registry.promote(ALICE, MODEL, v("1.0.0"), Stage.of("canary"), ""))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("CANARY");
            assertThatThrownBy(() -> registry.promote(ALICE, MODEL, v("9.0.0"), Stage.STAGING, ""))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("9.0.0");
            assertThatThrownBy(() -> registry.promote(ALICE, "ghost", v("1.0.0"), Stage.STAGING, ""))
                    .isInstanceOf(NotFoundException.class).hasMessageContaining("ghost");
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "");
            assertThatThrownBy(() -> registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, ""))
                    .isInstanceOf(StateConflictException.class).hasMessageContaining("already");
            assertThat(logLength(MODEL)).isEqualTo(before + 1);
            assertThat(registry.models()).containsExactly(ModelName.of(MODEL));
        }

        @Test
        @DisplayName("archives from any stage and lets an archived version return to Staging")
        void archiveAndReturn() {
            registry.archive(ALICE, MODEL, v("1.0.0"), "superseded");
            assertThat(registry.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.ARCHIVED);
            assertThatThrownBy(() -> registry.archive(ALICE, MODEL, v("1.0.0"), "")).isInstanceOf(StateConflictException.class);
            registry.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "second look");
            assertThat(registry.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.STAGING);
            assertThat(registry.stageHistory(MODEL)).extracting(StageChange::kind)
                    .containsExactly(StageChange.Kind.ARCHIVE, StageChange.Kind.PROMOTION);
        }

        @Test
        @DisplayName("follows a user-defined lifecycle with an exclusive canary stage")
        void customLifecycle() {
            Lifecycle canary = Lifecycle.builder()
                    .stage("staging").exclusiveStage("canary").exclusiveStage("production").archiveStage("archived")
                    .transition("NONE", "staging").transition("staging", "canary").transition("canary", "production")
                    .build();
            ModelRegistry custom = newRegistry(canary);
            custom.promote(ALICE, MODEL, v("1.0.0"), Stage.STAGING, "");
            custom.promote(ALICE, MODEL, v("1.0.0"), Stage.of("canary"), "");
            assertThatThrownBy(() -> custom.promote(ALICE, MODEL, v("1.1.0"), Stage.of("canary"), ""))
                    .isInstanceOf(IllegalTransitionException.class);
            custom.promote(ALICE, MODEL, v("1.1.0"), Stage.STAGING, "");
            custom.promote(ALICE, MODEL, v("1.1.0"), Stage.of("canary"), "");
            assertThat(custom.getCurrent(MODEL, Stage.of("CANARY")).version()).isEqualTo(v("1.1.0"));
            assertThat(custom.stageOf(MODEL, v("1.0.0"))).isEqualTo(Stage.ARCHIVED);
            assertThatThrownBy(() -> Lifecycle.builder().stage("a").build()).isInstanceOf(IllegalTransitionException.class);
            assertThatThrownBy(() -> Lifecycle.builder().stage("a").transition("a", "b")).isInstanceOf(IllegalTransitionException.class);
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("rolling back")
    class RollingBack {

        private final Instant[] promotedAt = new Instant[3];

        @BeforeEach
        void threeProductionVersions() {
            for (int i = 0; i < 3; i++) {
                SemVer version = v("1." + i + ".0");
                register(MODEL, version.toString());
                clock.advance(Duration.ofHours(1));
                registry.promote(ALICE, MODEL, version, Stage.STAGING, "");
                promotedAt[i] = clock.advance(Duration.ofHours(1));
                registry.promote(ALICE, MODEL, version, Stage.PRODUCTION, "release " + version);
            }
        }

        @Test
        @DisplayName("reinstates the previous holder at once, as its own event")
        void toPrevious() {
            clock.advance(Duration.ofMinutes(1));
            StageChange change = registry.rollback(BOB, MODEL, Stage.PRODUCTION, "latency spike");
            assertThat(change.kind()).isEqualTo(StageChange.Kind.ROLLBACK);
            assertThat(change.version()).isEqualTo(v("1.1.0"));
            assertThat(change.principal()).isEqualTo("bob");
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.1.0"));
            assertThat(registry.stageOf(MODEL, v("1.2.0"))).isEqualTo(Stage.ARCHIVED);
            assertThat(registry.stageHistory(MODEL)).last().extracting(StageChange::reason).isEqualTo("latency spike");
        }

        @Test
        @DisplayName("goes two versions back when rolled back twice, not back to the version rolled back from")
        void twice() {
            registry.rollback(BOB, MODEL, Stage.PRODUCTION, "bad");
            registry.rollback(BOB, MODEL, Stage.PRODUCTION, "also bad");
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.0.0"));
            assertThatThrownBy(() -> registry.rollback(BOB, MODEL, Stage.PRODUCTION, "nothing left"))
                    .isInstanceOf(StateConflictException.class).hasMessageContaining("no earlier holder");
        }

        @Test
        @DisplayName("reinstates a named earlier holder, and refuses one that never held the stage")
        void toNamed() {
            registry.rollback(BOB, MODEL, Stage.PRODUCTION, v("1.0.0"), "known good");
            assertThat(registry.getCurrent(MODEL, Stage.PRODUCTION).version()).isEqualTo(v("1.0.0"));
            register(MODEL, "1.3.0");
            int before = logLength(MODEL);
            assertThatThrownBy(() -> registry.rollback(BOB, MODEL, Stage.PRODUCTION, v("1.3.0"), ""))
                    .isInstanceOf(StateConflictException.class).hasMessageContaining("never held");
            assertThatThrownBy(() -> registry.rollback(BOB, MODEL, Stage.PRODUCTION, v("1.0.0"), ""))
                    .isInstanceOf(StateConflictException.class).hasMessageContaining("already");
            assertThatThrownBy(() -> registry.rollback(BOB, MODEL, Stage.PRODUCTION, v("4.0.0"), ""))
                    .isInstanceOf(NotFoundException.class);
            assertThat(logLength(MODEL)).isEqualTo(before);
        }

        @Test
        @DisplayName("refuses a rollback with no earlier holder or of a shared stage")
        void refusals() {
            register("other", "1.0.0");
            registry.promote(ALICE, "other", v("1.0.0"), Stage.STAGING, "");
            registry.promote(ALICE, "other", v("1.0.0"), Stage.PRODUCTION, "");
            assertThatThrownBy(() -> registry.rollback(BOB, "other", Stage.PRODUCTION, ""))
                    .isInstanceOf(StateConflictException.class).hasMessageContaining("no earlier holder");
            assertThatThrownBy(() -> registry.rollback(BOB, MODEL, Stage.STAGING, ""))
                    .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("exclusive");
            assertThatThrownBy(() -> registry.rollback(BOB, "ghost", Stage.PRODUCTION, "")).isInstanceOf(NotFoundException.class);
        }

        @Test
        @DisplayName("answers who held Production at any moment")
        void timeTravel() {
            clock.advance(Duration.ofMinutes(10));
            registry.rollback(BOB, MODEL, Stage.PRODUCTION, "");
            assertThat(registry.findCurrentAt(MODEL, Stage.PRODUCTION, promotedAt[0].minusSeconds(1))).isEmpty();
            assertThat(registry.findCurrentAt(MODEL, Stage.PRODUCTION, promotedAt[0])).map(ModelVersion::version).contains(v("1.0.0"));
            assertThat(registry.findCurrentAt(MODEL, Stage.PRODUCTION, promotedAt[1].plusSeconds(1))).map(ModelVersion::version).contains(v("1.1.0"));
            assertThat(registry.findCurrentAt(MODEL, Stage.PRODUCTION, promotedAt[2])).map(ModelVersion::version).contains(v("1.2.0"));
            assertThat(registry.findCurrentAt(MODEL, Stage.PRODUCTION, clock.instant())).map(ModelVersion::version).contains(v("1.1.0"));
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("the audit trail")
    class Audit {

        @Test
        @DisplayName("records every change as an event with principal, time, reason and a verifiable hash chain")
        void everyChangeIsAnEvent() {
            register(MODEL, "1.0.0");
            clock.advance(Duration.ofMinutes(3));
            registry.promote(BOB, MODEL, v("1.0.0"), Stage.STAGING, "ready");
            List<LogEntry> log = registry.log(MODEL);
            assertThat(log).extracting(LogEntry::sequence).containsExactly(1L, 2L, 3L);
            assertThat(log).extracting(e -> e.event().getClass().getSimpleName())
                    .containsExactly("ModelCreated", "VersionRegistered", "StageChanged");
            assertThat(log.get(2).principal()).isEqualTo("bob");
            assertThat(log.get(2).reason()).isEqualTo("ready");
            assertThat(log.get(2).time()).isEqualTo(clock.instant());
            assertThat(log.get(0).prevHash()).isEqualTo(LogEntry.GENESIS);
            assertThat(log.get(1).prevHash()).isEqualTo(log.get(0).hash());
            VerificationReport report = registry.verify();
            assertThat(report.intact()).isTrue();
            assertThat(report.entriesChecked()).isEqualTo(3);
            assertThat(newRegistry().verify(MODEL).intact()).isTrue();
        }

        @Test
        @DisplayName("a second registry over the same backend sees every change, as another process would")
        void sharedBackend() {
            ModelRegistry other = newRegistry();
            register(MODEL, "1.0.0");
            assertThat(other.findVersion(MODEL, v("1.0.0"))).isPresent();
            other.promote(BOB, MODEL, v("1.0.0"), Stage.STAGING, "");
            assertThat(registry.getCurrent(MODEL, Stage.STAGING).version()).isEqualTo(v("1.0.0"));
            registry.register(ALICE, Registration.of(MODEL).bump(Bump.MINOR).build());
            assertThat(other.findLatest(MODEL)).map(ModelVersion::version).contains(v("1.1.0"));
            assertThat(other.log(MODEL)).isEqualTo(registry.log(MODEL));
        }
    }

    // =====================================================================================
    @Nested
    @DisplayName("under concurrent writers")
    class Races {

        @Test
        @DisplayName("threads racing to promote different versions into Production leave at most one holder at every moment")
        void racingPromotions() throws Exception {
            int threads = raceThreads();
            for (int i = 0; i < threads; i++) {
                register(MODEL, "1." + i + ".0");
                registry.promote(ALICE, MODEL, v("1." + i + ".0"), Stage.STAGING, "");
            }
            int before = logLength(MODEL);
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger readerViolations = new AtomicInteger();
            List<ModelRegistry> registries = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                registries.add(i % 2 == 0 ? registry : newRegistry());
            }
            ModelRegistry observer = newRegistry();
            ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
            try {
                Future<?> reader = pool.submit(() -> {
                    while (!done.get()) {
                        if (observer.versionsIn(MODEL, Stage.PRODUCTION).size() > 1) {
                            readerViolations.incrementAndGet();
                        }
                    }
                });
                List<StageChange> successes = race(pool, threads, i -> registries.get(i)
                        .promote(Principal.of("racer-" + i), MODEL, v("1." + i + ".0"), Stage.PRODUCTION, "race " + i).change());
                done.set(true);
                reader.get(30, TimeUnit.SECONDS);

                assertThat(successes).hasSize(threads);
                assertThat(readerViolations).hasValue(0);
                List<LogEntry> log = registry.log(MODEL);
                Set<Long> promotionSequences = new HashSet<>();
                for (LogEntry e : log) {
                    if (e.event() instanceof StageChanged c && c.kind() == StageChange.Kind.PROMOTION && c.to().equals(Stage.PRODUCTION)) {
                        promotionSequences.add(e.sequence());
                    }
                }
                assertThat(promotionSequences).containsExactlyInAnyOrderElementsOf(successes.stream().map(StageChange::sequence).toList());
                assertAtMostOneHolderAtEveryMoment(registry.stageHistory(MODEL), Stage.PRODUCTION);
                assertThat(log).hasSize(before + threads + (threads - 1));
                assertThat(registry.verify().intact()).isTrue();
            } finally {
                done.set(true);
                pool.shutdownNow();
            }
        }

        @Test
        @DisplayName("threads racing to register with MINOR bumps get distinct, gap-free versions")
        void racingBumps() throws Exception {
            int threads = raceThreads();
            register(MODEL, "1.0.0");
            List<ModelRegistry> registries = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                registries.add(i % 2 == 0 ? registry : newRegistry());
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<ModelVersion> registered = race(pool, threads, i -> registries.get(i)
                        .register(Principal.of("racer-" + i), Registration.of(MODEL).bump(Bump.MINOR).build()));
                List<SemVer> versions = registered.stream().map(ModelVersion::version).sorted().toList();
                List<SemVer> expected = new ArrayList<>();
                for (int i = 1; i <= threads; i++) {
                    expected.add(v("1." + i + ".0"));
                }
                assertThat(versions).containsExactlyElementsOf(expected);
                assertThat(registry.search(MODEL, VersionQuery.all()).items()).hasSize(threads + 1);
                assertThat(registry.verify().intact()).isTrue();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Starts {@code threads} calls at once (released by one latch) and returns every result. */
    protected static <T> List<T> race(ExecutorService pool, int threads, java.util.function.IntFunction<T> call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            Callable<T> task = () -> {
                start.await();
                return call.apply(id);
            };
            futures.add(pool.submit(task));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
    }

    /** Replays a stage history and fails if the stage ever held two versions after an append. */
    protected static void assertAtMostOneHolderAtEveryMoment(List<StageChange> history, Stage stage) {
        Set<SemVer> holders = new HashSet<>();
        Map<Long, Integer> holdersAfterSequence = new HashMap<>();
        for (StageChange c : history) {
            if (c.from().equals(stage)) {
                holders.remove(c.version());
            }
            if (c.to().equals(stage)) {
                holders.add(c.version());
            }
            holdersAfterSequence.put(c.sequence(), holders.size());
        }
        // Within one append the holder leaves before the newcomer enters, so no prefix has two.
        assertThat(Collections.max(holdersAfterSequence.values())).isLessThanOrEqualTo(1);
    }

    /** Exposes the principal/optional helpers to subclasses that add backend-specific tests. */
    protected static Optional<SemVer> versionOf(Optional<ModelVersion> v) {
        return v.map(ModelVersion::version);
    }
}
