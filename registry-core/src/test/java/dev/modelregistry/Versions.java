package dev.modelregistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-made versions for lineage tests: a small builder over the canonical constructors. */
final class Versions {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private final String model;
    private final String version;
    private Provenance.TrainingRun run;
    private Provenance.CodeRef code;
    private String image = "";
    private String environment = "";
    private final List<DatasetRef> datasets = new ArrayList<>();
    private final List<DatasetRef> evaluationSets = new ArrayList<>();
    private final List<Provenance.ParentRef> parents = new ArrayList<>();

    private Versions(String model, String version) {
        this.model = model;
        this.version = version;
    }

    static Versions version(String model, String version) {
        return new Versions(model, version);
    }

    Versions run(String id) {
        run = new Provenance.TrainingRun(id, T0, T0.plusSeconds(60), Map.of("epochs", "10"));
        return this;
    }

    Versions code(String repository, String commit) {
        code = new Provenance.CodeRef(repository, commit, "train.py");
        return this;
    }

    Versions image(String digest) {
        image = digest;
        return this;
    }

    Versions environment(String file) {
        environment = file;
        return this;
    }

    Versions trainedOn(DatasetRef... refs) {
        datasets.addAll(List.of(refs));
        return this;
    }

    Versions evaluatedOn(DatasetRef... refs) {
        evaluationSets.addAll(List.of(refs));
        return this;
    }

    Versions derivedFrom(String parentModel, String parentVersion, String relation) {
        parents.add(new Provenance.ParentRef(ModelName.of(parentModel), SemVer.parse(parentVersion), relation));
        return this;
    }

    ModelVersion build() {
        Provenance provenance = new Provenance(run, code, image, environment, datasets, evaluationSets, parents,
                new Provenance.RuntimeInfo("17.0.9", "Linux 6.1", "amd64"));
        return new ModelVersion(ModelName.of(model), SemVer.parse(version), List.of(), "alice", T0, "tribuo", "4.3",
                Map.of(), null, Map.of(), List.of(), provenance, "", Map.of());
    }
}
