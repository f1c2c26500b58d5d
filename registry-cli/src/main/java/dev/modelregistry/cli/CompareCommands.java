package dev.modelregistry.cli;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.ValidationException;
import dev.modelregistry.ComparisonReport;
import dev.modelregistry.VersionDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** compare and diff: the library's reports, rendered as text, Markdown or JSON. */
final class CompareCommands {
    private CompareCommands() {
    }

    /** How a report is printed. */
    enum Format { TEXT, MARKDOWN, JSON }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Compare a candidate version B against a baseline A on one evaluation set: metrics and operational"
                    + " figures with deltas and verdicts, and the slices where B is worse. Both must have been evaluated on that set."},
            footerHeading = "%nExample:%n", footer = {"  registry compare fraud-detector 1.5.0 2.0.0 --on s3://data/holdout@v3",
                    "  registry compare fraud-detector production staging --slice-tolerance 0.01 --format markdown"})
    static final class Compare extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "A", description = "The baseline: a version, stage, tag, range or 'latest'.")
        String baseline;

        @Parameters(index = "2", paramLabel = "B", description = "The candidate, likewise.")
        String candidate;

        @Option(names = "--on", paramLabel = "EVALSET", description = "The evaluation set, uri@version; default: the model's canonical set.")
        String evaluationSet;

        @Option(names = "--slice-tolerance", paramLabel = "X", description = "How much worse a slice may be before it is reported (default 0).")
        double sliceTolerance;

        @Option(names = "--format", paramLabel = "FORMAT", description = "text, markdown or json (default text).")
        Format format = Format.TEXT;

        @Option(names = "--json", description = "Print JSON (same as --format json).")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            requireReadableModel(registry, model);
            ModelVersion a = registry.resolve(model + "@" + baseline);
            ModelVersion b = registry.resolve(model + "@" + candidate);
            DatasetRef set;
            if (evaluationSet != null) {
                set = DatasetRef.parse(evaluationSet);
            } else {
                set = registry.findCanonicalEvaluationSet(model).orElseThrow(() -> new ValidationException("Model " + model
                        + " has no canonical evaluation set; name one with --on uri@version"));
            }
            ComparisonReport report = registry.compare(model, a.version(), b.version(), set, sliceTolerance);
            Format f = json ? Format.JSON : format;
            String text = switch (f) {
                case TEXT -> report.toText();
                case MARKDOWN -> report.toMarkdown();
                case JSON -> Json.parse(report.toJson()).toPrettyString();
            };
            out().print(text.endsWith("\n") ? text : text + "\n");
            return RegistryCli.OK;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"What changed from version A to version B: hyperparameters, signature (and the bump it requires),"
                    + " datasets, evaluation sets, parents, run, code, image, environment, framework, runtime, artifacts, labels."},
            footerHeading = "%nExample:%n", footer = "  registry diff fraud-detector 1.5.0 2.0.0")
    static final class Diff extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Parameters(index = "1", paramLabel = "A")
        String from;

        @Parameters(index = "2", paramLabel = "B")
        String to;

        @Option(names = "--format", paramLabel = "FORMAT", description = "text, markdown or json (default text).")
        Format format = Format.TEXT;

        @Option(names = "--json", description = "Print JSON (same as --format json).")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            requireReadableModel(registry, model);
            ModelVersion a = registry.resolve(model + "@" + from);
            ModelVersion b = registry.resolve(model + "@" + to);
            VersionDiff diff = registry.diff(model, a.version(), b.version());
            String text = switch (json ? Format.JSON : format) {
                case TEXT -> diff.toText();
                case MARKDOWN -> diff.toMarkdown();
                case JSON -> Json.parse(diff.toJson()).toPrettyString();
            };
            out().print(text.endsWith("\n") ? text : text + "\n");
            return RegistryCli.OK;
        }
    }
}
