package dev.modelregistry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelSummary;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Page;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.Provenance;
import dev.modelregistry.Signature;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.LogEntry;
import dev.modelregistry.EdgeType;
import dev.modelregistry.LineageEdge;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import dev.modelregistry.NodeKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that only read: models, versions, show, history, requests. */
final class ReadCommands {
    private ReadCommands() {
    }

    @Command(name = "models", mixinStandardHelpOptions = true,
            description = "List the models, with their version count, latest version and stage holders.",
            footerHeading = "%nExample:%n", footer = "  registry -r /var/lib/models models --json")
    static final class Models extends RegistryCommand {
        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            List<ModelSummary> summaries = new ArrayList<>();
            for (ModelName name : registry.models()) {
                // A principal sees the models it may read, as it would through a host that checks READ.
                if (registry.accessPolicy().allows(principal(), dev.modelregistry.Action.READ, name, null)) {
                    registry.findModel(name.value()).ifPresent(summaries::add);
                }
            }
            if (json) {
                Json.print(out(), summaries);
                return RegistryCli.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (ModelSummary s : summaries) {
                rows.add(List.of(s.name().value(), String.valueOf(s.versionCount()), String.valueOf(s.latestVersion()),
                        stages(s.currentByStage()), Text.time(s.createdAt())));
            }
            out().print(Text.table(List.of("MODEL", "VERSIONS", "LATEST", "STAGES", "CREATED"), rows));
            return RegistryCli.OK;
        }

        private static String stages(Map<Stage, dev.modelregistry.SemVer> current) {
            return new TreeMap<>(current.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().name(), e -> e.getValue().toString())))
                    .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true,
            description = "List the versions of a model, newest first: version, tags, stage, author, created, key metrics.",
            footerHeading = "%nExample:%n", footer = "  registry -r /var/lib/models versions fraud-detector --metric auc --metric f1")
    static final class Versions extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Option(names = "--stage", paramLabel = "STAGE", description = "Only versions in this stage.")
        String stage;

        @Option(names = "--metric", paramLabel = "NAME", description = "Metrics to show (repeatable); default: the first three by name.")
        List<String> metrics;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            requireReadableModel(registry, model);
            VersionQuery.Builder query = VersionQuery.builder().limit(VersionQuery.MAX_LIMIT);
            if (stage != null) {
                query.stage(Stage.of(stage));
            }
            List<ModelVersion> versions = new ArrayList<>();
            Page<ModelVersion> page = registry.search(model, query.build());
            versions.addAll(page.items());
            while (page.hasNext()) {
                VersionQuery.Builder next = VersionQuery.builder().limit(VersionQuery.MAX_LIMIT).after(page.nextCursor());
                if (stage != null) {
                    next.stage(Stage.of(stage));
                }
                page = registry.search(model, next.build());
                versions.addAll(page.items());
            }
            if (json) {
                ArrayNode array = Json.array();
                for (ModelVersion v : versions) {
                    ObjectNode node = (ObjectNode) Json.tree(v);
                    node.put("stage", registry.stageOf(model, v.version()).name());
                    array.add(node);
                }
                Json.print(out(), array);
                return RegistryCli.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (ModelVersion v : versions) {
                rows.add(List.of(v.version().toString(), String.join(",", v.tags()), registry.stageOf(model, v.version()).name(),
                        v.author(), Text.time(v.createdAt()), keyMetrics(v.metrics())));
            }
            out().print(Text.table(List.of("VERSION", "TAGS", "STAGE", "AUTHOR", "CREATED", "METRICS"), rows));
            return RegistryCli.OK;
        }

        private String keyMetrics(Map<String, Double> all) {
            Map<String, Double> shown = new LinkedHashMap<>();
            if (metrics != null) {
                metrics.forEach(m -> {
                    if (all.containsKey(m)) {
                        shown.put(m, all.get(m));
                    }
                });
            } else {
                new TreeMap<>(all).entrySet().stream().limit(3).forEach(e -> shown.put(e.getKey(), e.getValue()));
            }
            return Text.pairs(shown);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show one version: metadata, artifacts with digests, evaluations, lineage summary and model card.",
            footerHeading = "%nExample:%n", footer = {"  registry show fraud-detector@production",
                    "  registry show fraud-detector@1.5.0 --json", "  registry show fraud-detector@fraud-detector-2023-10-27"})
    static final class Show extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "MODEL@SELECTOR",
                description = "A version, stage, tag, range or 'latest', e.g. fraud-detector@1.5.0, fraud-detector@production.")
        String reference;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            ModelVersion v = resolveReadable(registry, reference);
            String model = v.model().value();
            Stage stage = registry.stageOf(model, v.version());
            List<Evaluation> evaluations = new ArrayList<>(registry.latestEvaluations(model, v.version()).values());
            Optional<ModelCard> card = registry.findModelCard(model, v.version());
            List<LineageResult> derived = derivedVersions(registry, v);
            if (json) {
                ObjectNode node = Json.object();
                node.set("version", Json.tree(v));
                node.put("stage", stage.name());
                node.set("evaluations", Json.tree(evaluations));
                card.ifPresent(c -> node.set("modelCard", Json.tree(c)));
                ArrayNode d = node.putArray("derivedVersions");
                derived.forEach(r -> d.add(r.id().id()));
                Json.print(out(), node);
                return RegistryCli.OK;
            }
            PrintWriter out = out();
            out.println(v + "  (" + stage + ")");
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("tags", String.join(", ", v.tags()));
            fields.put("author", v.author());
            fields.put("created", Text.time(v.createdAt()));
            fields.put("framework", (v.framework() + " " + v.frameworkVersion()).strip());
            fields.put("description", v.description());
            fields.put("labels", Text.pairs(v.labels()));
            fields.put("metrics", Text.pairs(v.metrics()));
            fields.put("hyperparameters", Text.pairs(v.hyperparameters()));
            fields.put("inputs", fields(v.signature().inputs()));
            fields.put("outputs", fields(v.signature().outputs()));
            printFields(out, fields);

            section(out, "Artifacts");
            if (v.artifacts().isEmpty()) {
                out.println("  (none)");
            } else {
                List<List<String>> rows = new ArrayList<>();
                for (ArtifactRef a : v.artifacts()) {
                    rows.add(List.of(a.name(), Text.bytes(a.size()), "sha256:" + a.sha256().hex(), a.mediaType()));
                }
                out.print(indent(Text.table(List.of("NAME", "SIZE", "SHA-256", "MEDIA TYPE"), rows)));
            }

            section(out, "Evaluations");
            if (evaluations.isEmpty()) {
                out.println("  (none)");
            }
            for (Evaluation e : evaluations) {
                out.println("  " + e.dataset().id() + ": " + Text.pairs(e.metrics()));
                e.slices().forEach((slice, m) -> out.println("    slice " + slice + ": " + Text.pairs(m)));
                if (!e.operational().isEmpty()) {
                    out.println("    operational: " + Text.pairs(e.operational()));
                }
            }

            section(out, "Lineage");
            Provenance p = v.provenance();
            Map<String, String> lineage = new LinkedHashMap<>();
            lineage.put("training run", p.run().id());
            lineage.put("code", p.code().isRecorded() ? p.code().id() + (p.code().scriptPath().isEmpty() ? "" : " (" + p.code().scriptPath() + ")") : "");
            lineage.put("image", p.containerImageDigest());
            lineage.put("environment", p.environmentFile());
            lineage.put("datasets", p.datasets().stream().map(DatasetRef::id).collect(Collectors.joining(", ")));
            lineage.put("evaluation sets", p.evaluationSets().stream().map(DatasetRef::id).collect(Collectors.joining(", ")));
            lineage.put("parents", p.parents().stream().map(Provenance.ParentRef::toString).collect(Collectors.joining(", ")));
            lineage.put("derived", derived.stream().map(r -> r.id().id() + relation(r)).collect(Collectors.joining(", ")));
            lineage.put("runtime", (p.runtime().javaVersion().isEmpty() ? "" : "Java " + p.runtime().javaVersion() + ", " + p.runtime().os() + ", " + p.runtime().arch()));
            if (lineage.values().stream().allMatch(String::isEmpty)) {
                out.println("  (none recorded)");
            }
            printFields(out, lineage);

            section(out, "Model card");
            if (card.isEmpty()) {
                out.println("  (none)");
            } else {
                card.get().writtenSections().forEach((name, text) -> {
                    out.println("  " + name + ":");
                    text.lines().forEach(l -> out.println("    " + l));
                });
            }
            return RegistryCli.OK;
        }

        /** Versions derived directly from this one (fine-tunes, distillations), from the lineage graph. */
        private static List<LineageResult> derivedVersions(ModelRegistry registry, ModelVersion v) {
            LineageGraph graph = registry.lineage();
            NodeId self = NodeId.version(v.model(), v.version());
            if (graph.findNode(self).isEmpty()) {
                return List.of();
            }
            return graph.downstream(self, LineageQuery.maxDepth(1)).stream()
                    .filter(r -> r.node().kind() == NodeKind.VERSION).toList();
        }

        private static String relation(LineageResult r) {
            LineageEdge last = r.path().get(r.path().size() - 1);
            return last.type() == EdgeType.DERIVED_FROM ? " (" + last.relation() + ")" : "";
        }

        private static String fields(List<Signature.Field> fields) {
            return fields.stream().map(f -> f.name() + " " + f.type() + (f.hasDefault() ? " (default)" : ""))
                    .collect(Collectors.joining(", "));
        }

        private static void printFields(PrintWriter out, Map<String, String> fields) {
            int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
            fields.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    out.println("  " + k + " ".repeat(width - k.length() + 2) + Text.oneLine(v));
                }
            });
        }

        private static void section(PrintWriter out, String title) {
            out.println();
            out.println(title);
        }

        private static String indent(String text) {
            return text.lines().map(l -> "  " + l).collect(Collectors.joining("\n", "", "\n"));
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Show a model's stage history and every event of its log, oldest first.",
            footerHeading = "%nExample:%n", footer = "  registry history fraud-detector")
    static final class History extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            requireReadableModel(registry, model);
            List<StageChange> history = registry.stageHistory(model);
            List<LogEntry> log = registry.log(model);
            if (json) {
                ObjectNode node = Json.object();
                node.set("stageHistory", Json.tree(history));
                ArrayNode events = node.putArray("events");
                log.forEach(e -> events.add(Json.entry(e)));
                Json.print(out(), node);
                return RegistryCli.OK;
            }
            PrintWriter out = out();
            out.println("Stage history");
            List<List<String>> rows = new ArrayList<>();
            for (StageChange c : history) {
                rows.add(List.of("#" + c.sequence(), Text.time(c.time()), c.version().toString(), c.from() + " -> " + c.to(),
                        c.kind().name(), c.principal(), c.reason()));
            }
            out.print(Text.table(List.of("SEQ", "TIME", "VERSION", "MOVE", "KIND", "BY", "REASON"), rows));
            out.println();
            out.println("Events");
            rows = new ArrayList<>();
            for (LogEntry e : log) {
                rows.add(List.of("#" + e.sequence(), Text.time(e.time()), e.principal(), Text.describe(e), e.reason()));
            }
            out.print(Text.table(List.of("SEQ", "TIME", "BY", "EVENT", "REASON"), rows));
            return RegistryCli.OK;
        }
    }

    @Command(name = "requests", mixinStandardHelpOptions = true,
            description = "List open promotion requests: of one model, of every model, or those awaiting a role's approval.",
            footerHeading = "%nExample:%n", footer = {"  registry requests fraud-detector", "  registry requests --awaiting approver"})
    static final class Requests extends RegistryCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL")
        String model;

        @Option(names = "--awaiting", paramLabel = "ROLE", description = "Only requests waiting for an approval by this role.")
        String role;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            List<PromotionRequest> requests = new ArrayList<>();
            if (model != null) {
                requireReadableModel(registry, model);
                requests.addAll(registry.openRequests(model));
                if (role != null) {
                    requests.removeIf(r -> !r.awaitingRoles().contains(role));
                }
            } else if (role != null) {
                // Across models, a principal sees the requests of the models it may read.
                registry.openRequestsAwaiting(role).stream()
                        .filter(r -> registry.accessPolicy().allows(principal(), dev.modelregistry.Action.READ, r.id().model(), null))
                        .forEach(requests::add);
            } else {
                for (ModelName name : registry.models()) {
                    RegistryCli.requireRead(registry, principal(), name);
                    requests.addAll(registry.openRequests(name.value()));
                }
            }
            if (json) {
                Json.print(out(), requests);
                return RegistryCli.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (PromotionRequest r : requests) {
                rows.add(List.of(r.id().toString(), r.version().toString(), r.from() + " -> " + r.to(), r.requester(),
                        Text.time(r.openedAt()), String.join(",", r.awaitingRoles()), r.reason()));
            }
            out().print(Text.table(List.of("REQUEST", "VERSION", "MOVE", "REQUESTER", "OPENED", "AWAITING", "REASON"), rows));
            return RegistryCli.OK;
        }
    }
}
