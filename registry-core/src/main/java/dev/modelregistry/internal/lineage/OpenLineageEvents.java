package dev.modelregistry.internal.lineage;

import dev.modelregistry.NodeId;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Provenance;
import dev.modelregistry.ValidationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.UUID;

/**
 * The registration of a version as an <a href="https://openlineage.io">OpenLineage</a> run event, so
 * that lineage tools (Marquez, DataHub, cloud catalogs) see models next to the tables and jobs that fed
 * them. The event follows the OpenLineage 2-0-2 {@code RunEvent} schema:
 *
 * <ul>
 *   <li>{@code eventType} {@code COMPLETE}: registration is the end of the job that produced the version;</li>
 *   <li>the job is the model's producer ({@code namespace} as given, {@code name} = the model name), with
 *       the standard {@code jobType} facet;</li>
 *   <li>inputs are the dataset snapshots (training data and evaluation sets) and the parent versions;
 *       a snapshot's namespace and name come from its URI as in the OpenLineage naming conventions
 *       ({@code s3://bucket/path} → namespace {@code s3://bucket}, name {@code path}), its exact version
 *       goes into the standard {@code version} facet;</li>
 *   <li>the output is the version itself as a dataset ({@code namespace}, name = model, {@code version}
 *       facet = semver) with a custom {@value #FACET} facet holding the registry's own fields (author,
 *       framework, artifacts and their SHA-256, code, image, environment, labels, …);</li>
 *   <li>the run carries a custom {@value #RUN_FACET} facet with the training run id, times and parameters.</li>
 * </ul>
 *
 * <p>Only facts fixed at registration go in: the stage a version is in changes later and is left out.
 */
public final class OpenLineageEvents {
    /** The {@code producer} URI written into events and facets. */
    public static final String PRODUCER = "https://modelregistry.dev/model-registry-sdk";
    /** The schema of the event itself. */
    public static final String RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    /** The name of the custom dataset facet with registry fields. */
    public static final String FACET = "modelRegistry";
    /** The name of the custom run facet with the training run. */
    public static final String RUN_FACET = "modelRegistryTrainingRun";
    static final String FACET_SCHEMA =
            "https://modelregistry.dev/spec/facets/1-0-0/ModelRegistryDatasetFacet.json#/$defs/ModelRegistryDatasetFacet";
    static final String RUN_FACET_SCHEMA =
            "https://modelregistry.dev/spec/facets/1-0-0/ModelRegistryTrainingRunFacet.json#/$defs/ModelRegistryTrainingRunFacet";
    static final String VERSION_FACET_SCHEMA =
            "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet";
    static final String JOB_TYPE_FACET_SCHEMA =
            "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet";

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private OpenLineageEvents() {
    }

    /**
     * The registration of {@code v} as a {@code COMPLETE} run event, as compact JSON.
     *
     * @param v         the registered version
     * @param namespace the OpenLineage namespace of the registry's jobs and models, e.g. {@code model-registry}
     * @param eventTime when the event happened (usually the version's creation time)
     * @param runId     the run's UUID; pass the same one for every event of one registration
     * @throws ValidationException if an argument is missing or the namespace is blank
     */
    public static String registrationEvent(ModelVersion v, String namespace, Instant eventTime, UUID runId) {
        if (v == null || eventTime == null || runId == null) {
            throw new ValidationException("An OpenLineage registration event needs the version, the event time and a run id, got "
                    + v + ", " + eventTime + ", " + runId);
        }
        if (namespace == null || namespace.isBlank()) {
            throw new ValidationException("Invalid OpenLineage namespace \"" + namespace + "\": must not be blank");
        }
        ObjectNode event = MAPPER.createObjectNode();
        event.put("eventType", "COMPLETE");
        event.put("eventTime", eventTime.toString());
        event.put("producer", PRODUCER);
        event.put("schemaURL", RUN_EVENT_SCHEMA);

        ObjectNode run = event.putObject("run");
        run.put("runId", runId.toString());
        ObjectNode runFacets = run.putObject("facets");
        Provenance.TrainingRun training = v.provenance().run();
        if (training.isRecorded()) {
            ObjectNode t = facet(runFacets, RUN_FACET, RUN_FACET_SCHEMA);
            t.put("trainingRunId", training.id());
            if (training.start() != null) {
                t.put("start", training.start().toString());
            }
            if (training.end() != null) {
                t.put("end", training.end().toString());
            }
            ObjectNode parameters = t.putObject("parameters");
            training.parameters().forEach(parameters::put);
        }

        ObjectNode job = event.putObject("job");
        job.put("namespace", namespace);
        job.put("name", v.model().value());
        ObjectNode jobType = facet(job.putObject("facets"), "jobType", JOB_TYPE_FACET_SCHEMA);
        jobType.put("processingType", "BATCH");
        jobType.put("integration", "MODEL_REGISTRY");
        jobType.put("jobType", "MODEL");

        ArrayNode inputs = event.putArray("inputs");
        for (DatasetRef d : v.provenance().datasets()) {
            inputs.add(input(d, "training", namespace));
        }
        for (DatasetRef d : v.provenance().evaluationSets()) {
            inputs.add(input(d, "evaluation", namespace));
        }
        for (Provenance.ParentRef p : v.provenance().parents()) {
            ObjectNode parent = dataset(namespace, p.model().value(), NodeId.withoutBuild(p.version()));
            ObjectNode registry = facet((ObjectNode) parent.get("facets"), FACET, FACET_SCHEMA);
            registry.put("role", "parent");
            registry.put("relation", p.relation());
            inputs.add(parent);
        }

        ObjectNode output = dataset(namespace, v.model().value(), v.version().toString());
        event.putArray("outputs").add(output);
        registryFacet(facet((ObjectNode) output.get("facets"), FACET, FACET_SCHEMA), v);

        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an OpenLineage event for " + v + ": " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode input(DatasetRef d, String role, String defaultNamespace) {
        String[] location = location(d.uri(), defaultNamespace);
        ObjectNode input = dataset(location[0], location[1], d.version());
        ObjectNode registry = facet((ObjectNode) input.get("facets"), FACET, FACET_SCHEMA);
        registry.put("role", role);
        registry.put("uri", d.uri());
        registry.put("datasetRef", d.id());
        if (!d.contentHash().isEmpty()) {
            registry.put("contentSha256", d.contentHash());
        }
        if (!d.query().isEmpty()) {
            registry.put("query", d.query());
        }
        return input;
    }

    private static ObjectNode dataset(String namespace, String name, String version) {
        ObjectNode dataset = MAPPER.createObjectNode();
        dataset.put("namespace", namespace);
        dataset.put("name", name);
        ObjectNode facets = dataset.putObject("facets");
        if (!version.isEmpty()) {
            facet(facets, "version", VERSION_FACET_SCHEMA).put("datasetVersion", version);
        }
        return dataset;
    }

    private static ObjectNode facet(ObjectNode facets, String name, String schema) {
        ObjectNode facet = facets.putObject(name);
        facet.put("_producer", PRODUCER);
        facet.put("_schemaURL", schema);
        return facet;
    }

    private static void registryFacet(ObjectNode f, ModelVersion v) {
        f.put("model", v.model().value());
        f.put("version", v.version().toString());
        f.put("createdAt", v.createdAt().toString());
        f.put("author", v.author());
        f.put("framework", v.framework());
        f.put("frameworkVersion", v.frameworkVersion());
        f.put("description", v.description());
        ArrayNode tags = f.putArray("tags");
        v.tags().forEach(tags::add);
        ObjectNode labels = f.putObject("labels");
        v.labels().forEach(labels::put);
        ObjectNode hyperparameters = f.putObject("hyperparameters");
        v.hyperparameters().forEach(hyperparameters::set);
        ArrayNode artifacts = f.putArray("artifacts");
        for (ArtifactRef a : v.artifacts()) {
            ObjectNode artifact = artifacts.addObject();
            artifact.put("name", a.name());
            artifact.put("uri", a.uri().toString());
            artifact.put("sha256", a.sha256().hex());
            artifact.put("size", a.size());
            artifact.put("mediaType", a.mediaType());
        }
        Provenance p = v.provenance();
        if (p.code().isRecorded()) {
            ObjectNode code = f.putObject("code");
            code.put("repository", p.code().repository());
            code.put("commit", p.code().commit());
            code.put("scriptPath", p.code().scriptPath());
        }
        f.put("containerImageDigest", p.containerImageDigest());
        f.put("environmentFile", p.environmentFile());
        ObjectNode runtime = f.putObject("runtime");
        runtime.put("javaVersion", p.runtime().javaVersion());
        runtime.put("os", p.runtime().os());
        runtime.put("arch", p.runtime().arch());
    }

    /**
     * Namespace and name of a dataset URI: {@code scheme://authority} and the path without its leading
     * slash; {@code file} and the absolute path for authority-less URIs such as {@code file:///data/x};
     * the event's namespace and the text as given for anything that is not an absolute URI.
     */
    public static String[] location(String uri, String defaultNamespace) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            String path = parsed.getRawPath();
            if (scheme != null && path != null && !path.isEmpty() && !path.equals("/")) {
                if (parsed.getRawAuthority() == null) {
                    return new String[] {scheme, path};
                }
                String name = path.substring(1);
                if (parsed.getRawQuery() != null) {
                    name += "?" + parsed.getRawQuery();
                }
                return new String[] {scheme + "://" + parsed.getRawAuthority(), name};
            }
        } catch (URISyntaxException e) {
            // Not a URI (e.g. "warehouse.sales.orders"): keep the text as the name.
        }
        return new String[] {defaultNamespace, uri};
    }
}
