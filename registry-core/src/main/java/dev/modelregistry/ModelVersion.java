package dev.modelregistry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One registered version of a model. Immutable: once registered nothing in it changes; where it
 * stands in the lifecycle is state of the model, asked of the registry
 * ({@link ModelRegistry#stageOf(String, SemVer)}).
 *
 * <p>Text fields that were not given are empty strings, collections are empty, never null.
 *
 * @param model           the model name
 * @param version         the semantic version, unique in the model
 * @param tags            human-friendly aliases, each unique in the model
 * @param author          the principal who registered it
 * @param createdAt       when it was registered (from the registry's clock)
 * @param framework       e.g. {@code tribuo}, {@code xgboost}, {@code onnx}
 * @param frameworkVersion the framework's version
 * @param hyperparameters JSON values by name
 * @param signature       input and output fields
 * @param metrics         training-time metrics, finite numbers only
 * @param artifacts       the stored files, each with its SHA-256
 * @param provenance      training run, code, container image, environment, datasets, evaluation sets, parents, runtime
 * @param description     free text
 * @param labels          key/value labels for search
 */
public record ModelVersion(
        ModelName model,
        SemVer version,
        List<String> tags,
        String author,
        Instant createdAt,
        String framework,
        String frameworkVersion,
        Map<String, JsonNode> hyperparameters,
        Signature signature,
        Map<String, Double> metrics,
        List<ArtifactRef> artifacts,
        Provenance provenance,
        String description,
        Map<String, String> labels) {

    public ModelVersion {
        if (model == null) {
            throw new ValidationException("Model version has no model name");
        }
        if (version == null) {
            throw new ValidationException("Model version of " + model + " has no version");
        }
        if (createdAt == null) {
            throw new ValidationException("Model version " + model + "@" + version + " has no creation time");
        }
        tags = checkTags(tags);
        author = Names.checkText("author", author, Principal.MAX_NAME_LENGTH);
        framework = Names.checkText("framework", framework, Limits.MAX_FRAMEWORK_CHARS);
        frameworkVersion = Names.checkText("framework version", frameworkVersion, Limits.MAX_FRAMEWORK_CHARS);
        hyperparameters = Json.immutableObjectMap("hyperparameters", hyperparameters);
        signature = signature == null ? Signature.UNDECLARED : signature;
        metrics = checkMetrics(metrics);
        artifacts = checkArtifacts(artifacts);
        provenance = provenance == null ? Provenance.NONE : provenance;
        description = Names.checkText("description", description, Limits.MAX_DESCRIPTION_CHARS);
        labels = checkLabels(labels);
    }

    /** The artifact called {@code name}, or {@link NotFoundException}. */
    public ArtifactRef artifact(String name) {
        for (ArtifactRef a : artifacts) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new NotFoundException("Version " + model + "@" + version + " has no artifact " + Names.quote(name)
                + (artifacts.isEmpty() ? "" : "; it has " + artifacts.stream().map(ArtifactRef::name).toList()));
    }

    /** The dataset snapshots it was trained on (shorthand for {@code provenance().datasets()}). */
    public List<DatasetRef> datasets() {
        return provenance.datasets();
    }

    /** Hyperparameters are deep-copied on the way out because {@link JsonNode} containers are mutable. */
    @Override
    public Map<String, JsonNode> hyperparameters() {
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        hyperparameters.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public String toString() {
        return model + "@" + version;
    }

    static List<String> checkTags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        if (tags.size() > Limits.MAX_TAGS) {
            throw new MetadataTooLargeException(tags.size() + " tags; the limit is " + Limits.MAX_TAGS);
        }
        for (String t : tags) {
            Names.check("tag", t);
        }
        if (tags.stream().distinct().count() != tags.size()) {
            throw new ValidationException("Duplicate tag in " + tags);
        }
        return List.copyOf(tags);
    }

    static String checkMetricName(String name) {
        if (name == null || name.isEmpty() || name.length() > Limits.MAX_METRIC_NAME_CHARS) {
            throw new InvalidNameException("Invalid metric name " + Names.quote(name) + ": must be 1-"
                    + Limits.MAX_METRIC_NAME_CHARS + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new InvalidNameException("Invalid metric name " + Names.quote(name)
                        + ": only printable ASCII without spaces is allowed (index " + i + ")");
            }
        }
        return name;
    }

    static double checkMetricValue(String name, Double value) {
        if (value == null || !Double.isFinite(value)) {
            throw new ValidationException("Metric " + Names.quote(name) + " must be a finite number, was " + value);
        }
        return value;
    }

    private static Map<String, Double> checkMetrics(Map<String, Double> metrics) {
        if (metrics == null) {
            return Map.of();
        }
        if (metrics.size() > Limits.MAX_METRICS) {
            throw new MetadataTooLargeException(metrics.size() + " metrics; the limit is " + Limits.MAX_METRICS);
        }
        Map<String, Double> sorted = new TreeMap<>();
        metrics.forEach((k, v) -> sorted.put(checkMetricName(k), checkMetricValue(k, v)));
        return Collections.unmodifiableMap(sorted);
    }

    private static List<ArtifactRef> checkArtifacts(List<ArtifactRef> artifacts) {
        if (artifacts == null) {
            return List.of();
        }
        if (artifacts.size() > Limits.MAX_ARTIFACTS) {
            throw new MetadataTooLargeException(artifacts.size() + " artifacts; the limit is " + Limits.MAX_ARTIFACTS);
        }
        if (artifacts.stream().map(ArtifactRef::name).distinct().count() != artifacts.size()) {
            throw new ValidationException("Duplicate artifact name in " + artifacts.stream().map(ArtifactRef::name).toList());
        }
        return List.copyOf(artifacts);
    }

    static Map<String, String> checkLabels(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > Limits.MAX_LABELS) {
            throw new MetadataTooLargeException(labels.size() + " labels; the limit is " + Limits.MAX_LABELS);
        }
        Map<String, String> sorted = new TreeMap<>();
        labels.forEach((k, v) -> {
            Names.check("label key", k);
            if (v == null) {
                throw new ValidationException("Label " + Names.quote(k) + " has a null value");
            }
            sorted.put(k, Names.checkText("label value", v, Limits.MAX_LABEL_VALUE_CHARS));
        });
        return Collections.unmodifiableMap(sorted);
    }
}
