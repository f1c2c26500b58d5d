package dev.modelregistry;

import java.time.Instant;

/**
 * One entry of a model's append-only log: the event with who did it, when, why, its sequence
 * number (1, 2, 3… without gaps) and its place in the hash chain. {@code hash} is the SHA-256 of the
 * canonical JSON of every other field (see {@link EventCodec}), so it covers {@code prevHash} and
 * with it the whole history before.
 */
public record LogEntry(
        ModelName model,
        long sequence,
        Instant time,
        String principal,
        String reason,
        Sha256 prevHash,
        Sha256 hash,
        RegistryEvent event) {

    /** The {@code prevHash} of the first entry of every log. */
    public static final Sha256 GENESIS = Sha256.of("0".repeat(64));

    public LogEntry {
        if (model == null || time == null || principal == null || prevHash == null || hash == null || event == null) {
            throw new ValidationException("Log entry " + sequence + " of " + model + " is missing a field");
        }
        if (sequence < 1) {
            throw new ValidationException("Log entry sequence must be >= 1, was " + sequence);
        }
        reason = reason == null ? "" : reason;
    }

    /** Builds the entry and computes its hash. */
    public static LogEntry seal(ModelName model, long sequence, Instant time, String principal, String reason,
                                Sha256 prevHash, RegistryEvent event) {
        LogEntry unsealed = new LogEntry(model, sequence, time, principal, reason, prevHash, GENESIS, event);
        return new LogEntry(model, sequence, time, principal, reason, prevHash, EventCodec.computeHash(unsealed), event);
    }
}
