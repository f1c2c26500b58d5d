package dev.modelregistry;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a version came from, recorded at registration: the training run, the code, the container
 * image and environment file, the dataset snapshots it was trained on, the evaluation sets it was
 * validated on, the parent versions it was derived from (fine-tune, distillation, ensemble), and the
 * runtime that registered it. Text fields that were not recorded are empty strings.
 *
 * <p>Versions and their inputs form one lineage graph across all models. Parents must already be
 * registered, so a registration can never close a cycle: the graph is a DAG by construction.
 */
public record Provenance(TrainingRun run, CodeRef code, String containerImageDigest, String environmentFile,
                         List<DatasetRef> datasets, List<DatasetRef> evaluationSets, List<ParentRef> parents,
                         RuntimeInfo runtime) {
    public static final Provenance NONE = new Provenance(null, null, "", "", List.of(), List.of(), List.of(), null);
    static final int MAX_REFS = 1000;

    public Provenance {
        run = run == null ? TrainingRun.NONE : run;
        code = code == null ? CodeRef.NONE : code;
        containerImageDigest = Names.checkText("container image digest", containerImageDigest, 512);
        environmentFile = Names.checkText("environment file", environmentFile, 2048);
        datasets = distinct("dataset", datasets);
        evaluationSets = distinct("evaluation set", evaluationSets);
        parents = distinct("parent", parents);
        runtime = runtime == null ? RuntimeInfo.UNKNOWN : runtime;
    }

    private static <T> List<T> distinct(String kind, List<T> items) {
        if (items == null) {
            return List.of();
        }
        if (items.size() > MAX_REFS) {
            throw new MetadataTooLargeException(items.size() + " " + kind + "s; the limit is " + MAX_REFS);
        }
        if (items.stream().distinct().count() != items.size()) {
            throw new ValidationException("Duplicate " + kind + " in " + items);
        }
        return List.copyOf(items);
    }

    /**
     * The training run: its id in the tracking system, when it ran, and its parameters.
     *
     * @param id         e.g. an MLflow run id or a CI job URL
     * @param start      when it started, or null
     * @param end        when it ended, or null
     * @param parameters run parameters as text
     */
    public record TrainingRun(String id, Instant start, Instant end, Map<String, String> parameters) {
        public static final TrainingRun NONE = new TrainingRun("", null, null, Map.of());

        public TrainingRun {
            id = Names.checkText("training run id", id, 512);
            if (start != null && end != null && end.isBefore(start)) {
                throw new ValidationException("Training run " + Names.quote(id) + " ends (" + end + ") before it starts (" + start + ")");
            }
            Map<String, String> p = new TreeMap<>();
            if (parameters != null) {
                parameters.forEach((k, v) -> p.put(Names.checkText("run parameter name", k, 256),
                        Names.checkText("run parameter " + k, v, 4096)));
            }
            parameters = Collections.unmodifiableMap(p);
        }

        public boolean isRecorded() {
            return !id.isEmpty();
        }
    }

    /**
     * The code that trained the model.
     *
     * @param repository e.g. {@code https://github.com/acme/fraud}
     * @param commit     the exact commit
     * @param scriptPath the training entry point within the repository
     */
    public record CodeRef(String repository, String commit, String scriptPath) {
        public static final CodeRef NONE = new CodeRef("", "", "");

        public CodeRef {
            repository = Names.checkText("code repository", repository, 2048);
            commit = Names.checkText("code commit", commit, 256);
            scriptPath = Names.checkText("script path", scriptPath, 2048);
            if (repository.contains("@") || commit.contains("@")) {
                throw new ValidationException("Invalid code reference " + Names.quote(repository + "@" + commit) + ": '@' separates repository and commit");
            }
        }

        public boolean isRecorded() {
            return !repository.isEmpty() || !commit.isEmpty();
        }

        /** {@code repository@commit}: the code node's identity in the lineage graph. */
        public String id() {
            return repository + "@" + commit;
        }
    }

    /**
     * A version this one was derived from.
     *
     * @param model    the parent's model
     * @param version  the parent's version
     * @param relation how: {@code fine-tune}, {@code distillation}, {@code ensemble-member}, …
     */
    public record ParentRef(ModelName model, SemVer version, String relation) {
        public ParentRef {
            if (model == null || version == null) {
                throw new ValidationException("A parent reference needs a model and a version");
            }
            relation = relation == null || relation.isEmpty() ? "derived-from" : Names.check("parent relation", relation);
        }

        @Override
        public String toString() {
            return model + "@" + version + " (" + relation + ")";
        }
    }

    /** The JVM and platform that registered the version, captured automatically. */
    public record RuntimeInfo(String javaVersion, String os, String arch) {
        public static final RuntimeInfo UNKNOWN = new RuntimeInfo("", "", "");

        public RuntimeInfo {
            javaVersion = Names.checkText("java version", javaVersion, 128);
            os = Names.checkText("os", os, 128);
            arch = Names.checkText("arch", arch, 128);
        }

        /** This JVM's. */
        public static RuntimeInfo current() {
            return new RuntimeInfo(System.getProperty("java.version", ""),
                    System.getProperty("os.name", "") + " " + System.getProperty("os.version", ""),
                    System.getProperty("os.arch", ""));
        }
    }
}
