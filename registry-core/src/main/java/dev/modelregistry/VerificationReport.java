package dev.modelregistry;

import dev.modelregistry.event.EventCodec;
import dev.modelregistry.event.LogEntry;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The result of walking hash chains: for each log checked, how many entries were checked and, when
 * the chain is broken, the first sequence number at which it breaks and why.
 */
public record VerificationReport(List<LogResult> logs) {
    public VerificationReport {
        logs = List.copyOf(logs);
    }

    /** The verdict on one model's log. */
    public record LogResult(ModelName model, long entriesChecked, OptionalLong firstBrokenSequence, String problem) {
        public boolean intact() {
            return firstBrokenSequence.isEmpty();
        }
    }

    /** True when every log checked is intact. */
    public boolean intact() {
        return logs.stream().allMatch(LogResult::intact);
    }

    /** The first broken log, if any. */
    public Optional<LogResult> firstProblem() {
        return logs.stream().filter(l -> !l.intact()).findFirst();
    }

    public long entriesChecked() {
        return logs.stream().mapToLong(LogResult::entriesChecked).sum();
    }

    /**
     * Recomputes the chain of one log: sequence numbers 1, 2, 3… without gaps, each entry's
     * {@code prevHash} equal to the hash of the entry before, each hash equal to the hash of its
     * content, and each entry filed under the log's own model.
     */
    static LogResult verify(ModelName model, List<LogEntry> entries) {
        Sha256 prev = LogEntry.GENESIS;
        long expected = 1;
        for (LogEntry e : entries) {
            String problem = null;
            if (e.sequence() != expected) {
                problem = "expected sequence " + expected + " but found " + e.sequence();
            } else if (!e.model().equals(model)) {
                problem = "entry belongs to model " + e.model();
            } else if (!e.prevHash().equals(prev)) {
                problem = "prevHash " + e.prevHash() + " does not match the hash of entry " + (expected - 1) + " (" + prev + ")";
            } else {
                Sha256 actual = EventCodec.computeHash(e);
                if (!actual.equals(e.hash())) {
                    problem = "content hashes to " + actual + " but the entry records " + e.hash();
                }
            }
            if (problem != null) {
                return new LogResult(model, expected, OptionalLong.of(expected), problem);
            }
            prev = e.hash();
            expected++;
        }
        return new LogResult(model, entries.size(), OptionalLong.empty(), "");
    }
}
