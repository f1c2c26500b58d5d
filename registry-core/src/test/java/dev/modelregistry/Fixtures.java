package dev.modelregistry;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Hand-built versions and gate contexts, so gate tests need no registry. */
final class Fixtures {
    static final String HOLDOUT = "s3://data/holdout@v3";
    static final String CANONICAL = "s3://data/canonical@v1";
    static final ModelName MODEL = ModelName.of("fraud-detector");
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private Fixtures() {
    }

    static Version version(String semver) {
        return new Version(semver);
    }

    static Context context() {
        return new Context();
    }

    static Evaluation evaluation(String set, Map<String, Double> metrics) {
        return Evaluation.of(DatasetRef.parse(set), metrics);
    }

    static Evaluation evaluation(String set, Map<String, Double> metrics, Map<String, Map<String, Double>> slices,
                                 Map<String, Double> operational) {
        return new Evaluation(DatasetRef.parse(set), metrics, slices, operational);
    }

    static Approval approve(String principal, String... roles) {
        return new Approval(principal, Set.of(roles), true, "looks good", NOW);
    }

    static Approval reject(String principal, String comment, String... roles) {
        return new Approval(principal, Set.of(roles), false, comment, NOW);
    }

    /** A model version with the few fields gates look at. */
    static final class Version {
        private final String semver;
        private String author = "alice";
        private Signature signature = Signature.UNDECLARED;
        private Map<String, Double> metrics = Map.of();
        private final List<ArtifactRef> artifacts = new ArrayList<>();
        private List<DatasetRef> datasets = List.of();

        private Version(String semver) {
            this.semver = semver;
        }

        Version author(String author) {
            this.author = author;
            return this;
        }

        Version inputs(String... names) {
            List<Signature.Field> fields = new ArrayList<>();
            for (String n : names) {
                fields.add(Signature.Field.of(n, "double"));
            }
            this.signature = Signature.of(fields, List.of(Signature.Field.of("score", "double")));
            return this;
        }

        Version metrics(Map<String, Double> metrics) {
            this.metrics = metrics;
            return this;
        }

        Version artifact(String name, long size) {
            artifacts.add(new ArtifactRef(name, URI.create("mem://artifacts/" + name),
                    Sha256.digest(name.getBytes()), size, null));
            return this;
        }

        Version trainedOn(String... datasetIds) {
            this.datasets = java.util.Arrays.stream(datasetIds).map(DatasetRef::parse).toList();
            return this;
        }

        ModelVersion build() {
            return new ModelVersion(MODEL, SemVer.parse(semver), List.of(), author, NOW, "xgboost", "2.0.3",
                    Map.of(), signature, metrics, artifacts,
                    new Provenance(null, null, "", "", datasets, List.of(), List.of(), null), "", Map.of());
        }
    }

    /** A gate context: candidate 1.5.0 by alice moving STAGING -> PRODUCTION, requested by carol. */
    static final class Context {
        private ModelVersion candidate = version("1.5.0").build();
        private ModelVersion incumbent;
        private final Map<String, Evaluation> candidateEvaluations = new LinkedHashMap<>();
        private final Map<String, Evaluation> incumbentEvaluations = new LinkedHashMap<>();
        private String canonicalSet;
        private ModelCard card;
        private final List<Approval> approvals = new ArrayList<>();
        private Principal requester = Principal.of("carol", "data-scientist", "approver");

        Context candidate(Version v) {
            this.candidate = v.build();
            return this;
        }

        Context incumbent(Version v) {
            this.incumbent = v.build();
            return this;
        }

        Context evaluated(Evaluation e) {
            candidateEvaluations.put(e.dataset().id(), e);
            return this;
        }

        Context evaluated(String set, Map<String, Double> metrics) {
            return evaluated(evaluation(set, metrics));
        }

        Context incumbentEvaluated(String set, Map<String, Double> metrics) {
            incumbentEvaluations.put(set, evaluation(set, metrics));
            return this;
        }

        Context canonicalSet(String set) {
            this.canonicalSet = set;
            return this;
        }

        Context card(ModelCard card) {
            this.card = card;
            return this;
        }

        Context approvals(Approval... approvals) {
            this.approvals.addAll(List.of(approvals));
            return this;
        }

        Context requester(Principal requester) {
            this.requester = requester;
            return this;
        }

        GateContext build() {
            return new GateContext(MODEL, candidate, Optional.ofNullable(incumbent), Stage.STAGING, Stage.PRODUCTION,
                    candidateEvaluations, incumbentEvaluations, Optional.ofNullable(canonicalSet),
                    Optional.ofNullable(card), approvals, requester, NOW);
        }
    }
}
