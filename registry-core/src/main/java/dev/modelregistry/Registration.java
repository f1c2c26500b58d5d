package dev.modelregistry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to register a new version: the model, how to choose the version, metadata and
 * artifacts. Every setter validates its argument at once and names the value it refuses.
 *
 * <pre>{@code
 * Registration r = Registration.of("fraud-detector")
 *     .bump(Bump.AUTO)
 *     .framework("tribuo", "4.3.1")
 *     .signature(Signature.of(List.of(Field.of("amount", "double")), List.of(Field.of("score", "double"))))
 *     .hyperparameter("learningRate", 0.05)
 *     .metric("auc", 0.91)
 *     .artifact("model.bin", "application/octet-stream", Path.of("model.bin"))
 *     .build();
 * }</pre>
 *
 * <p>Without an explicit version or bump the registry uses {@link Bump#AUTO}.
 */
public final class Registration {
    private final ModelName model;
    private final SemVer version;
    private final Bump bump;
    private final List<String> tags;
    private final String framework;
    private final String frameworkVersion;
    private final Map<String, JsonNode> hyperparameters;
    private final Signature signature;
    private final Map<String, Double> metrics;
    private final List<ArtifactSource> artifacts;
    private final Provenance provenance;
    private final String description;
    private final Map<String, String> labels;
    private final ModelCard modelCard;
    private final String reason;

    private Registration(Builder b) {
        this.model = b.model;
        this.version = b.version;
        this.bump = b.bump;
        this.tags = List.copyOf(b.tags);
        this.framework = b.framework;
        this.frameworkVersion = b.frameworkVersion;
        this.hyperparameters = Json.immutableObjectMap("hyperparameters", b.hyperparameters);
        this.signature = b.signature;
        this.metrics = Map.copyOf(b.metrics);
        this.artifacts = List.copyOf(b.artifacts);
        this.provenance = new Provenance(b.run, b.code, b.containerImageDigest, b.environmentFile, b.datasets,
                b.evaluationSets, b.parents, b.runtime);
        this.description = b.description;
        this.labels = ModelVersion.checkLabels(b.labels);
        this.modelCard = b.modelCard;
        this.reason = b.reason;
    }

    /** Starts a registration of a new version of {@code model}. */
    public static Builder of(String model) {
        return new Builder(ModelName.of(model));
    }

    public ModelName model() {
        return model;
    }

    /** The explicit version, when one was given. */
    public Optional<SemVer> version() {
        return Optional.ofNullable(version);
    }

    /** The bump, when no explicit version was given. */
    public Bump bump() {
        return bump;
    }

    public List<String> tags() {
        return tags;
    }

    public String reason() {
        return reason;
    }

    public Signature signature() {
        return signature;
    }

    public Provenance provenance() {
        return provenance;
    }

    /** The model card attached with the version, if one was given. */
    public Optional<ModelCard> modelCard() {
        return Optional.ofNullable(modelCard);
    }

    /** The artifacts to store with the version, in the order given. */
    public List<ArtifactSource> artifacts() {
        return artifacts;
    }

    /** The version record this registration describes, once the registry has chosen its version and stored its artifacts. */
    public ModelVersion toVersion(SemVer chosen, String author, java.time.Instant createdAt, List<ArtifactRef> storedArtifacts) {
        return new ModelVersion(model, chosen, tags, author, createdAt, framework, frameworkVersion,
                hyperparameters, signature, metrics, storedArtifacts, provenance, description, labels);
    }

    /**
     * One artifact to store with the version: either content to upload (with an optional expected
     * digest that the bytes must match) or a reference to content already in the artifact store.
     */
    public record ArtifactSource(String name, String mediaType, ContentOpener content, Sha256 expected, ArtifactRef existing) {
        public Optional<Sha256> expectedDigest() {
            return Optional.ofNullable(expected);
        }
    }

    /** Opens the content of an artifact when the registry is ready to store it. */
    @FunctionalInterface
    public interface ContentOpener {
        InputStream open() throws IOException;
    }

    /** Collects and validates the parts of a registration. */
    public static final class Builder {
        private final ModelName model;
        private SemVer version;
        private Bump bump = Bump.AUTO;
        private boolean versionChosen;
        private final LinkedHashSet<String> tags = new LinkedHashSet<>();
        private String framework = "";
        private String frameworkVersion = "";
        private final Map<String, JsonNode> hyperparameters = new LinkedHashMap<>();
        private Signature signature = Signature.UNDECLARED;
        private final Map<String, Double> metrics = new LinkedHashMap<>();
        private final List<ArtifactSource> artifacts = new ArrayList<>();
        private Provenance.TrainingRun run;
        private Provenance.CodeRef code;
        private String containerImageDigest = "";
        private String environmentFile = "";
        private final List<DatasetRef> datasets = new ArrayList<>();
        private final List<DatasetRef> evaluationSets = new ArrayList<>();
        private final List<Provenance.ParentRef> parents = new ArrayList<>();
        private Provenance.RuntimeInfo runtime = Provenance.RuntimeInfo.current();
        private String description = "";
        private final Map<String, String> labels = new LinkedHashMap<>();
        private ModelCard modelCard;
        private String reason = "";

        private Builder(ModelName model) {
            this.model = model;
        }

        /** Registers exactly this version. */
        public Builder version(SemVer version) {
            chooseVersionOnce();
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        /** Registers exactly this version; {@link InvalidVersionException} when it is not SemVer. */
        public Builder version(String version) {
            return version(SemVer.parse(version));
        }

        /** Lets the registry allocate the version from the highest existing one, atomically. */
        public Builder bump(Bump bump) {
            chooseVersionOnce();
            this.bump = Objects.requireNonNull(bump, "bump");
            return this;
        }

        private void chooseVersionOnce() {
            if (versionChosen) {
                throw new ValidationException("A registration takes either one explicit version or one bump, not both");
            }
            versionChosen = true;
        }

        /** Adds a tag, unique in the model; it may not look like a version, a range, a stage or "latest". */
        public Builder tag(String tag) {
            Names.check("tag", tag);
            if (!tags.add(tag)) {
                throw new ValidationException("Duplicate tag " + Names.quote(tag));
            }
            if (tags.size() > Limits.MAX_TAGS) {
                throw new MetadataTooLargeException("More than " + Limits.MAX_TAGS + " tags");
            }
            return this;
        }

        public Builder framework(String name, String version) {
            this.framework = Names.checkText("framework", name, Limits.MAX_FRAMEWORK_CHARS);
            this.frameworkVersion = Names.checkText("framework version", version, Limits.MAX_FRAMEWORK_CHARS);
            return this;
        }

        /** A hyperparameter: any value Jackson can write as JSON (numbers must be finite). */
        public Builder hyperparameter(String name, Object value) {
            Map<String, JsonNode> one = Json.immutableObjectMap("hyperparameters", Map.of(name, Json.toTree("hyperparameter " + Names.quote(name), value)));
            hyperparameters.putAll(one);
            return this;
        }

        public Builder hyperparameters(Map<String, ?> values) {
            values.forEach(this::hyperparameter);
            return this;
        }

        public Builder signature(Signature signature) {
            this.signature = Objects.requireNonNull(signature, "signature");
            return this;
        }

        /** A metric measured at training time; NaN and infinities are refused. */
        public Builder metric(String name, double value) {
            ModelVersion.checkMetricName(name);
            ModelVersion.checkMetricValue(name, value);
            metrics.put(name, value);
            if (metrics.size() > Limits.MAX_METRICS) {
                throw new MetadataTooLargeException("More than " + Limits.MAX_METRICS + " metrics");
            }
            return this;
        }

        public Builder metrics(Map<String, Double> values) {
            values.forEach((k, v) -> metric(k, v == null ? Double.NaN : v));
            return this;
        }

        /** Stores the file at {@code path} as artifact {@code name}. */
        public Builder artifact(String name, String mediaType, Path path) {
            Objects.requireNonNull(path, "path");
            if (!Files.isRegularFile(path)) {
                throw new NotFoundException("Artifact file " + path + " does not exist or is not a regular file");
            }
            return add(new ArtifactSource(checkArtifactName(name), mediaType, () -> Files.newInputStream(path), null, null));
        }

        /** Stores the file at {@code path}, refusing it unless its bytes have the SHA-256 {@code expected}. */
        public Builder artifact(String name, String mediaType, Path path, Sha256 expected) {
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(path, "path");
            if (!Files.isRegularFile(path)) {
                throw new NotFoundException("Artifact file " + path + " does not exist or is not a regular file");
            }
            return add(new ArtifactSource(checkArtifactName(name), mediaType, () -> Files.newInputStream(path), expected, null));
        }

        /** Stores {@code bytes} as artifact {@code name}. */
        public Builder artifact(String name, String mediaType, byte[] bytes) {
            byte[] copy = bytes.clone();
            return add(new ArtifactSource(checkArtifactName(name), mediaType, () -> new ByteArrayInputStream(copy), null, null));
        }

        /**
         * Stores what {@code content} yields as artifact {@code name}, refusing it unless the bytes
         * have the SHA-256 {@code expected} (pass null to skip that check). The stream is read once,
         * during registration, and closed by the registry.
         */
        public Builder artifact(String name, String mediaType, InputStream content, Sha256 expected) {
            Objects.requireNonNull(content, "content");
            boolean[] used = {false};
            return add(new ArtifactSource(checkArtifactName(name), mediaType, () -> {
                if (used[0]) {
                    throw new IOException("The stream of artifact " + name + " was already consumed");
                }
                used[0] = true;
                return content;
            }, expected, null));
        }

        /** Refers to content already in the registry's artifact store (checked at registration). */
        public Builder artifact(ArtifactRef existing) {
            Objects.requireNonNull(existing, "existing");
            return add(new ArtifactSource(existing.name(), existing.mediaType(), null, existing.sha256(), existing));
        }

        private Builder add(ArtifactSource source) {
            for (ArtifactSource a : artifacts) {
                if (a.name().equals(source.name())) {
                    throw new ValidationException("Duplicate artifact name " + Names.quote(source.name()));
                }
            }
            if (artifacts.size() >= Limits.MAX_ARTIFACTS) {
                throw new MetadataTooLargeException("More than " + Limits.MAX_ARTIFACTS + " artifacts");
            }
            if (source.mediaType() != null) {
                Names.checkText("media type", source.mediaType(), 255);
            }
            artifacts.add(source);
            return this;
        }

        private static String checkArtifactName(String name) {
            return Names.check("artifact name", name);
        }

        /** The training run that produced the version. */
        public Builder trainingRun(String id, java.time.Instant start, java.time.Instant end, Map<String, String> parameters) {
            this.run = new Provenance.TrainingRun(id, start, end, parameters);
            return this;
        }

        /** The code that trained it: repository, exact commit, entry-point script. */
        public Builder code(String repository, String commit, String scriptPath) {
            this.code = new Provenance.CodeRef(repository, commit, scriptPath);
            return this;
        }

        /** The digest of the container image it was trained in, e.g. {@code sha256:…}. */
        public Builder containerImage(String digest) {
            this.containerImageDigest = Names.checkText("container image digest", digest, 512);
            return this;
        }

        /** The environment file (conda/pip lock) it was trained with. */
        public Builder environmentFile(String path) {
            this.environmentFile = Names.checkText("environment file", path, 2048);
            return this;
        }

        /** A dataset snapshot the version was trained on. */
        public Builder dataset(DatasetRef dataset) {
            Objects.requireNonNull(dataset, "dataset");
            if (datasets.contains(dataset)) {
                throw new ValidationException("Duplicate dataset " + dataset);
            }
            datasets.add(dataset);
            return this;
        }

        /** An evaluation set the version was validated on during training. */
        public Builder evaluationSet(DatasetRef evaluationSet) {
            Objects.requireNonNull(evaluationSet, "evaluationSet");
            if (!evaluationSet.isExact()) {
                throw new ValidationException("Evaluation set " + evaluationSet + " needs an exact version");
            }
            if (evaluationSets.contains(evaluationSet)) {
                throw new ValidationException("Duplicate evaluation set " + evaluationSet);
            }
            evaluationSets.add(evaluationSet);
            return this;
        }

        /** A registered version this one derives from ({@code fine-tune}, {@code distillation}, {@code ensemble-member}…). */
        public Builder parent(String model, SemVer version, String relation) {
            Provenance.ParentRef parent = new Provenance.ParentRef(ModelName.of(model), version, relation);
            if (parents.stream().anyMatch(p -> p.model().equals(parent.model()) && p.version().equals(parent.version()))) {
                throw new ValidationException("Duplicate parent " + parent);
            }
            parents.add(parent);
            return this;
        }

        /** Overrides the runtime captured from this JVM (for registrations replayed from elsewhere). */
        public Builder runtime(Provenance.RuntimeInfo runtime) {
            this.runtime = Objects.requireNonNull(runtime, "runtime");
            return this;
        }

        public Builder description(String description) {
            this.description = Names.checkText("description", description, Limits.MAX_DESCRIPTION_CHARS);
            return this;
        }

        public Builder label(String key, String value) {
            Names.check("label key", key);
            Objects.requireNonNull(value, "label value");
            labels.put(key, Names.checkText("label value", value, Limits.MAX_LABEL_VALUE_CHARS));
            if (labels.size() > Limits.MAX_LABELS) {
                throw new MetadataTooLargeException("More than " + Limits.MAX_LABELS + " labels");
            }
            return this;
        }

        /** Attaches a model card in the same atomic append as the version. */
        public Builder modelCard(ModelCard card) {
            this.modelCard = Objects.requireNonNull(card, "card");
            return this;
        }

        /** Why this version is registered; written into the log entry. */
        public Builder reason(String reason) {
            this.reason = Names.checkText("reason", reason, Limits.MAX_REASON_CHARS);
            return this;
        }

        public Registration build() {
            return new Registration(this);
        }
    }
}
