package dev.modelregistry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.SemVer;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.LogEntry;
import dev.modelregistry.internal.util.MessageText;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** audit, audit verify, audit export: the hash-chained trail, filtered, checked and exported. */
final class AuditCommands {
    private AuditCommands() {
    }

    /** The filters of {@link AuditQuery}, as options. */
    static final class Filters {
        private static final Pattern AGO = Pattern.compile("(\\d+)([smhdw])");

        @Option(names = "--model", paramLabel = "MODEL", description = "Only this model's log.")
        String model;

        @Option(names = "--model-version", paramLabel = "VERSION", description = "Only entries about this version (with --model).")
        String version;

        @Option(names = "--principal", paramLabel = "NAME", description = "Only entries by this principal.")
        String principal;

        @Option(names = "--action", paramLabel = "EVENT", description = "Only this event type, exactly as named in the log, e.g. StageChanged, AccessDenied, ApprovalRecorded.")
        String action;

        @Option(names = "--outcome", paramLabel = "OUTCOME", description = "succeeded, denied or rejected.")
        AuditQuery.Outcome outcome;

        @Option(names = "--since", paramLabel = "TIME", description = "At or after: 2026-11-26T09:00:00Z, 2026-11-26, or an age such as 2h, 7d.")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Before, in the same forms.")
        String until;

        AuditQuery query(java.time.Clock clock) {
            AuditQuery.Builder b = AuditQuery.builder();
            if (model != null) {
                b.model(model);
            }
            if (version != null) {
                b.version(SemVer.parse(version));
            }
            if (principal != null) {
                b.principal(principal);
            }
            if (action != null) {
                b.eventType(AuditQuery.eventTypeNamed(action));
            }
            if (outcome != null) {
                b.outcome(outcome);
            }
            if (since != null || until != null) {
                b.between(time("--since", since, clock), time("--until", until, clock));
            }
            return b.build();
        }

        private static Instant time(String option, String text, java.time.Clock clock) {
            if (text == null) {
                return null;
            }
            Matcher ago = AGO.matcher(text.toLowerCase(Locale.ROOT));
            try {
                if (ago.matches()) {
                    long n = Long.parseLong(ago.group(1));
                    Duration unit = switch (ago.group(2)) {
                        case "s" -> Duration.ofSeconds(1);
                        case "m" -> Duration.ofMinutes(1);
                        case "h" -> Duration.ofHours(1);
                        case "d" -> Duration.ofDays(1);
                        default -> Duration.ofDays(7);
                    };
                    return clock.instant().minus(unit.multipliedBy(n));
                }
                return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
            } catch (DateTimeException e) {
                throw new ValidationException("Invalid time " + MessageText.quote(text) + " for " + option
                        + ": expected an instant (2026-11-26T09:00:00Z), a date (2026-11-26) or an age (90m, 2h, 7d)");
            } catch (NumberFormatException | ArithmeticException e) {
                // An age beyond what an instant can hold: "99999999999999999999s", "9999999999999999w".
                throw new ValidationException("Invalid time " + MessageText.quote(text) + " for " + option
                        + ": an age that reaches before the earliest representable instant");
            }
        }

        /** Entries of every log a principal may not read would leak through a registry-wide query. */
        void requireReadable(ModelRegistry registry, RegistryCommand command) {
            if (model != null) {
                command.requireReadableModel(registry, model);
                return;
            }
            RegistryCli.requireRead(registry, command.principal(), ModelName.SYSTEM);
            for (ModelName m : registry.models()) {
                RegistryCli.requireRead(registry, command.principal(), m);
            }
        }
    }

    @Command(name = "audit", mixinStandardHelpOptions = true,
            description = "The audit trail of every log (the registry's own included), in time order, filtered.",
            subcommands = {Verify.class, Export.class},
            footerHeading = "%nExample:%n", footer = {"  registry audit --model fraud-detector --since 24h",
                    "  registry audit --outcome denied --json", "  registry audit --principal on-call --action StageChanged"})
    static final class Audit extends RegistryCommand {
        @Mixin
        Filters filters;

        @Option(names = "--json", description = "Print JSON: the entries in their canonical form.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            AuditQuery query = filters.query(cli().clock());
            filters.requireReadable(registry, this);
            List<LogEntry> entries = registry.audit(query);
            if (json) {
                ArrayNode array = Json.array();
                entries.forEach(e -> array.add(Json.entry(e)));
                Json.print(out(), array);
                return RegistryCli.OK;
            }
            List<List<String>> rows = new ArrayList<>();
            for (LogEntry e : entries) {
                rows.add(List.of(Text.time(e.time()), e.model() + "#" + e.sequence(), e.principal(),
                        AuditQuery.outcomeOf(e).name(), Text.describe(e), e.reason()));
            }
            out().print(Text.table(List.of("TIME", "ENTRY", "BY", "OUTCOME", "EVENT", "REASON"), rows));
            return RegistryCli.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recompute every hash chain (or one model's). Exits 0 only when every chain verifies;"
                    + " otherwise names the first broken link and exits 4."},
            footerHeading = "%nExample:%n", footer = "  registry audit verify && echo intact")
    static final class Verify extends RegistryCommand {
        @Option(names = "--model", paramLabel = "MODEL", description = "Only this model's log.")
        String model;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        int run(ModelRegistry registry) {
            VerificationReport report;
            if (model != null) {
                requireReadableModel(registry, model);
                report = registry.verify(model);
            } else {
                RegistryCli.requireRead(registry, principal(), null);
                report = registry.verify();
            }
            if (json) {
                ObjectNode node = Json.object();
                node.put("intact", report.intact());
                node.put("entriesChecked", report.entriesChecked());
                ArrayNode logs = node.putArray("logs");
                for (VerificationReport.LogResult l : report.logs()) {
                    ObjectNode o = logs.addObject();
                    o.put("model", l.model().value());
                    o.put("entriesChecked", l.entriesChecked());
                    o.put("intact", l.intact());
                    if (!l.intact()) {
                        o.put("firstBrokenSequence", l.firstBrokenSequence().getAsLong());
                        o.put("problem", l.problem());
                    }
                }
                Json.print(out(), node);
            } else {
                out().println((report.intact() ? "Intact: " : "BROKEN: ") + report.entriesChecked() + " entries in "
                        + report.logs().size() + " log" + (report.logs().size() == 1 ? "" : "s") + " checked");
            }
            out().flush();
            if (report.firstProblem().isPresent()) {
                VerificationReport.LogResult p = report.firstProblem().get();
                throw new IntegrityException("Hash chain of " + p.model().value() + " broken at entry #"
                        + p.firstBrokenSequence().getAsLong() + ": " + p.problem());
            }
            return RegistryCli.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export the matching entries as JSON Lines, one canonical entry per line (the form its hash covers).",
            footerHeading = "%nExample:%n", footer = "  registry audit export --jsonl --since 2026-11-01 --output audit-november.jsonl")
    static final class Export extends RegistryCommand {
        @Mixin
        Filters filters;

        @Option(names = "--jsonl", description = "JSON Lines (the one export format; accepted for clarity in scripts).")
        boolean jsonl = true;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        Path output;

        /** A target that cannot be written is refused before the trail is read, and nothing is created beside it. */
        @Override
        void prepare() {
            if (output == null) {
                return;
            }
            if (Files.isDirectory(output)) {
                throw new RegistryCli.UsageException("Cannot export to " + output + ": it is a folder; name a file");
            }
            Path folder = output.toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw new NotFoundException("Cannot export to " + output + ": the folder " + folder + " does not exist");
            }
        }

        @Override
        int run(ModelRegistry registry) throws IOException {
            AuditQuery query = filters.query(cli().clock());
            filters.requireReadable(registry, this);
            if (output == null) {
                registry.exportAudit(query, out());
                return RegistryCli.OK;
            }
            // Written beside the target and renamed over it, so an interrupted export leaves no half file.
            Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".audit-export", ".tmp");
            try {
                long n;
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    n = registry.exportAudit(query, w);
                }
                Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                out().println("Exported " + n + " entries to " + output);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return RegistryCli.OK;
        }
    }
}
