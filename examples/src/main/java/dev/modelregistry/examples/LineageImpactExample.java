package dev.modelregistry.examples;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.LineageSubgraph;
import dev.modelregistry.NodeId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A data bug in one dataset snapshot: which versions used it, directly or through derived models,
 * which of them are in Production, and the path that links each. Writes the impact as Graphviz DOT
 * and Mermaid into the directory given (default: the working directory).
 */
public final class LineageImpactExample {
    private LineageImpactExample() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        try (ModelRegistry registry = ModelRegistry.inMemory()) {
            LineageSubgraph picture = impactOfBadSnapshot(registry);
            Files.createDirectories(out);
            Files.writeString(out.resolve("lineage-impact.dot"), picture.toDot());
            Files.writeString(out.resolve("lineage-impact.mmd"), picture.toMermaid());
            System.out.println("Wrote " + out.resolve("lineage-impact.dot") + " and " + out.resolve("lineage-impact.mmd"));
        }
    }

    static LineageSubgraph impactOfBadSnapshot(ModelRegistry registry) {
        Principal pipeline = Principal.of("training-pipeline");
        DatasetRef bad = DatasetRef.gitCommit("s3://data/transactions", "3f2c1e0");
        DatasetRef good = DatasetRef.gitCommit("s3://data/transactions", "77a0c4e");
        registry.register(pipeline, Registration.of("fraud-detector").version("1.5.0").dataset(bad)
                .code("https://git.example.org/risk/fraud", "9b1d2aa", "train/Train.java").build());
        registry.register(pipeline, Registration.of("fraud-detector").version("2.0.0").dataset(good).build());
        registry.register(pipeline, Registration.of("fraud-distilled").version("1.0.0")
                .parent("fraud-detector", SemVer.parse("1.5.0"), "distillation").build());
        registry.register(pipeline, Registration.of("chargeback-risk").version("3.1.0")
                .parent("fraud-distilled", SemVer.parse("1.0.0"), "fine-tune").dataset(good).build());
        for (String model : List.of("fraud-distilled", "chargeback-risk")) {
            SemVer v = registry.findLatest(model).orElseThrow().version();
            registry.promote(pipeline, model, v, Stage.STAGING, "");
            registry.promote(pipeline, model, v, Stage.PRODUCTION, "");
        }
        LineageGraph graph = registry.lineage();
        List<LineageResult> impact = graph.downstream(NodeId.dataset(bad), LineageQuery.unlimited());
        for (LineageResult r : impact) {
            System.out.printf("%-28s %-11s via %s%n", r.id().id(), r.stage().map(Stage::toString).orElse("-"), r.path());
        }
        return graph.subgraph(NodeId.dataset(bad), impact);
    }
}
