package dev.modelregistry.cli;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.PromotionResult;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.GateOutcome;
import dev.modelregistry.GateResult;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that move versions: promote, approve, reject, withdraw, rollback, archive. */
final class LifecycleCommands {
    private LifecycleCommands() {
    }

    /** The reason every write records in the log. */
    abstract static class WithReason extends RegistryCommand {
        @Option(names = {"-m", "--reason"}, paramLabel = "TEXT", description = "Why; recorded in the audit trail.")
        String reason = "";
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Ask to move a version into a stage. When every gate passes it moves at once; when some wait"
                    + " for an approval it becomes an open request (see 'requests', 'approve'). A failed gate exits 1."},
            footerHeading = "%nExample:%n", footer = {"  registry --as ci --role data-scientist promote fraud-detector@2.0.0 staging -m \"offline eval passed\"",
                    "  registry promote fraud-detector@staging production -m \"ready for release\""})
    static final class Promote extends WithReason {
        @Parameters(index = "0", paramLabel = "MODEL@SELECTOR", description = "The version, e.g. fraud-detector@2.0.0 or fraud-detector@staging.")
        String reference;

        @Parameters(index = "1", paramLabel = "STAGE", description = "The target stage, e.g. staging, production.")
        String stage;

        @Override
        int run(ModelRegistry registry) {
            Stage to = Stage.of(stage);
            ModelVersion v = registry.resolve(reference);
            PromotionResult result = registry.promote(principal(), v.model().value(), v.version(), to, reason);
            printResult(out(), registry, v.model().value(), result);
            return RegistryCli.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve an open promotion request; every gate is evaluated again, and the promotion applies when all pass.",
            footerHeading = "%nExample:%n", footer = "  registry --as maria --role approver approve fraud-detector#12 -m \"reviewed the fairness slices\"")
    static final class Approve extends WithReason {
        @Parameters(index = "0", paramLabel = "REQUEST", description = "The request id, model#number (see 'requests').")
        String request;

        @Override
        int run(ModelRegistry registry) {
            RequestId id = RequestId.parse(request);
            PromotionResult result = registry.approve(principal(), id, reason);
            printResult(out(), registry, id.model().value(), result);
            return RegistryCli.OK;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject an open promotion request; it closes.",
            footerHeading = "%nExample:%n", footer = "  registry --as maria --role approver reject fraud-detector#12 -m \"tpr gap too large\"")
    static final class Reject extends WithReason {
        @Parameters(index = "0", paramLabel = "REQUEST", description = "The request id, model#number.")
        String request;

        @Override
        int run(ModelRegistry registry) {
            PromotionRequest r = registry.reject(principal(), RequestId.parse(request), reason);
            out().println("Rejected " + r.id() + ": " + r.version() + " " + r.from() + " -> " + r.to() + " (" + r.status() + ")");
            return RegistryCli.OK;
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true,
            description = "Withdraw an open promotion request (its requester, or anyone who may promote into its stage).",
            footerHeading = "%nExample:%n", footer = "  registry withdraw fraud-detector#12 -m \"superseded by 2.0.1\"")
    static final class Withdraw extends WithReason {
        @Parameters(index = "0", paramLabel = "REQUEST", description = "The request id, model#number.")
        String request;

        @Override
        int run(ModelRegistry registry) {
            PromotionRequest r = registry.withdraw(principal(), RequestId.parse(request), reason);
            out().println("Withdrew " + r.id() + ": " + r.version() + " " + r.from() + " -> " + r.to() + " (" + r.status() + ")");
            return RegistryCli.OK;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = {"Reinstate the previous holder of an exclusive stage at once, without gates or re-approval;"
                    + " the current holder is archived. Rolling back twice goes two versions back."},
            footerHeading = "%nExample:%n", footer = {"  registry --as on-call --role release-manager rollback fraud-detector -m \"p99 latency 4x after 2.0.0\"",
                    "  registry rollback fraud-detector --to 1.4.2 -m \"1.5.0 mis-scores EU traffic\""})
    static final class Rollback extends WithReason {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @Option(names = "--stage", paramLabel = "STAGE", description = "The exclusive stage to roll back (default: PRODUCTION).")
        String stage = "PRODUCTION";

        @Option(names = "--to", paramLabel = "VERSION", description = "Reinstate this earlier holder instead of the previous one.")
        String target;

        @Override
        int run(ModelRegistry registry) {
            Stage s = Stage.of(stage);
            StageChange change = target == null
                    ? registry.rollback(principal(), model, s, reason)
                    : registry.rollback(principal(), model, s, SemVer.parse(target), reason);
            // The holder taken out is recorded just before the reinstatement, in the same atomic append.
            String displaced = registry.stageHistory(model).stream()
                    .filter(c -> c.sequence() == change.sequence() - 1 && c.kind() == StageChange.Kind.ROLLED_BACK)
                    .map(c -> c.version() + " moved to " + c.to() + "; ").findFirst().orElse("");
            out().println("Rolled back " + change.model() + " " + s + " to " + change.version() + " (" + displaced + "log #"
                    + change.sequence() + ")");
            return RegistryCli.OK;
        }
    }

    @Command(name = "archive", mixinStandardHelpOptions = true, description = "Move a version to the archive stage.",
            footerHeading = "%nExample:%n", footer = "  registry archive fraud-detector@1.2.0 -m \"superseded\"")
    static final class Archive extends WithReason {
        @Parameters(index = "0", paramLabel = "MODEL@SELECTOR")
        String reference;

        @Override
        int run(ModelRegistry registry) {
            ModelVersion v = registry.resolve(reference);
            StageChange c = registry.archive(principal(), v.model().value(), v.version(), reason);
            out().println("Archived " + v + ": " + c.from() + " -> " + c.to());
            return RegistryCli.OK;
        }
    }

    /** An applied promotion names the move; a pending one names the request and what it waits for. */
    static void printResult(PrintWriter out, ModelRegistry registry, String model, PromotionResult result) {
        if (result.applied()) {
            StageChange c = result.change();
            // A displaced holder is recorded just before the promotion, in the same atomic append.
            String displaced = registry.stageHistory(model).stream()
                    .filter(h -> h.sequence() == c.sequence() - 1 && h.kind() == StageChange.Kind.DISPLACED)
                    .map(h -> "; " + h.version() + " moved to " + h.to()).findFirst().orElse("");
            out.println("Promoted " + c.model() + "@" + c.version() + ": " + c.from() + " -> " + c.to() + displaced);
        } else {
            PromotionRequest r = result.request();
            out.println("Request " + r.id() + " is open: " + model + "@" + r.version() + " " + r.from() + " -> " + r.to()
                    + (r.awaitingRoles().isEmpty() ? "" : ", awaiting approval by " + String.join(", ", r.awaitingRoles())));
            for (GateResult g : result.report().results()) {
                if (g.outcome() != GateOutcome.PASSED) {
                    out.println("  " + g.outcome() + " " + g.gate() + (g.reasons().isEmpty() ? "" : ": " + String.join("; ", g.reasons())));
                }
            }
        }
    }
}
