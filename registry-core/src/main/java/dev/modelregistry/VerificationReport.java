package dev.modelregistry;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of {@link ModelRegistry#verify()}: for each log checked, how many entries were checked
 * and, when it is not intact, the first sequence number at which it breaks, what kind of change
 * broke it and where; and, from {@link ModelRegistry#verifyWithArtifacts()}, every artifact whose
 * stored bytes no longer match the version that refers to them.
 */
public record VerificationReport(List<LogResult> logs, List<ArtifactProblem> artifactProblems) {
    public VerificationReport {
        logs = List.copyOf(logs);
        artifactProblems = artifactProblems == null ? List.of() : List.copyOf(artifactProblems);
    }

    public VerificationReport(List<LogResult> logs) {
        this(logs, List.of());
    }

    /** What was found in a log. */
    public enum Finding {
        /** Every entry is where it belongs, unchanged, and the log ends where the store recorded. */
        INTACT,
        /** An entry's content or text was changed, or replaced by another. */
        EDITED,
        /** Entries are missing before the end of the log. */
        DELETED,
        /** Entries are stored in the wrong place: moved or swapped. */
        REORDERED,
        /** The log ends before where the store recorded that it reached: its last entries were deleted. */
        TRUNCATED
    }

    /**
     * The verdict on one model's log.
     *
     * @param firstBrokenSequence the first sequence number at which the log is not intact (empty when intact)
     * @param problem             what was found, naming the sequence numbers and the place (row, object)
     */
    public record LogResult(ModelName model, long entriesChecked, OptionalLong firstBrokenSequence, String problem, Finding finding) {
        public LogResult {
            problem = problem == null ? "" : problem;
            finding = finding != null ? finding : firstBrokenSequence.isEmpty() ? Finding.INTACT : Finding.EDITED;
        }

        public LogResult(ModelName model, long entriesChecked, OptionalLong firstBrokenSequence, String problem) {
            this(model, entriesChecked, firstBrokenSequence, problem, null);
        }

        public boolean intact() {
            return finding == Finding.INTACT;
        }
    }

    /** An artifact whose stored bytes are missing or differ from the digest and size a version records. */
    public record ArtifactProblem(ModelName model, SemVer version, String artifact, Sha256 sha256, String problem) {
    }

    /** True when every log checked is intact and no artifact problem was found. */
    public boolean intact() {
        return logs.stream().allMatch(LogResult::intact) && artifactProblems.isEmpty();
    }

    /** The first broken log, if any. */
    public Optional<LogResult> firstProblem() {
        return logs.stream().filter(l -> !l.intact()).findFirst();
    }

    public long entriesChecked() {
        return logs.stream().mapToLong(LogResult::entriesChecked).sum();
    }

    /** One line per problem found, or "intact". */
    public String summary() {
        StringBuilder out = new StringBuilder();
        for (LogResult l : logs) {
            if (!l.intact()) {
                out.append(l.finding()).append(' ').append(l.model()).append(": ").append(l.problem()).append('\n');
            }
        }
        for (ArtifactProblem a : artifactProblems) {
            out.append("ARTIFACT ").append(a.model()).append('@').append(a.version()).append(' ').append(a.artifact())
                    .append(": ").append(a.problem()).append('\n');
        }
        return out.isEmpty() ? "intact (" + logs.size() + " logs, " + entriesChecked() + " entries)" : out.toString().strip();
    }
}
