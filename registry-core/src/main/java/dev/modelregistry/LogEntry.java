package dev.modelregistry;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a model's append-only log: the event with who did it, when, why, its sequence
 * number (1, 2, 3… without gaps) and its place in the hash chain. {@code hash} is the SHA-256 of the
 * canonical JSON of every other field (see {@link EventCodec}), so it covers {@code prevHash} and
 * with it the whole history before.
 *
 * <p>An immutable value: two entries are equal when their fields are. An entry made by {@link #seal}
 * also carries the canonical JSON it was hashed from, so that a store writes exactly the bytes
 * that were hashed, without serialising the entry a second time ({@link #toJson()}).
 */
public final class LogEntry {

    /** The {@code prevHash} of the first entry of every log. */
    public static final Sha256 GENESIS = Sha256.of("0".repeat(64));

    private final ModelName model;
    private final long sequence;
    private final Instant time;
    private final String principal;
    private final String reason;
    private final Sha256 prevHash;
    private final Sha256 hash;
    private final RegistryEvent event;
    /** The canonical JSON of the whole entry when it was computed with the hash; null otherwise. */
    private final String json;

    public LogEntry(ModelName model, long sequence, Instant time, String principal, String reason, Sha256 prevHash,
                    Sha256 hash, RegistryEvent event) {
        this(model, sequence, time, principal, reason, prevHash, hash, event, null);
    }

    private LogEntry(ModelName model, long sequence, Instant time, String principal, String reason, Sha256 prevHash,
                     Sha256 hash, RegistryEvent event, String json) {
        if (model == null || time == null || principal == null || prevHash == null || hash == null || event == null) {
            throw new ValidationException("Log entry " + sequence + " of " + model + " is missing a field");
        }
        if (sequence < 1) {
            throw new ValidationException("Log entry sequence must be >= 1, was " + sequence);
        }
        this.model = model;
        this.sequence = sequence;
        this.time = time;
        this.principal = principal;
        this.reason = reason == null ? "" : reason;
        this.prevHash = prevHash;
        this.hash = hash;
        this.event = event;
        this.json = json;
    }

    /** Builds the entry and computes its hash, serialising it once. */
    public static LogEntry seal(ModelName model, long sequence, Instant time, String principal, String reason,
                                Sha256 prevHash, RegistryEvent event) {
        LogEntry unsealed = new LogEntry(model, sequence, time, principal, reason, prevHash, GENESIS, event);
        EventCodec.Sealed sealed = EventCodec.seal(unsealed);
        return new LogEntry(model, sequence, time, principal, unsealed.reason, prevHash, sealed.hash(), event, sealed.json());
    }

    /** Reads an entry written by {@link #toJson()}; a text that is not one is an {@link IntegrityException}. */
    public static LogEntry fromJson(String json) {
        return EventCodec.fromJson(json);
    }

    /** The canonical JSON of the whole entry, hash included: what stores keep. */
    public String toJson() {
        return json != null ? json : EventCodec.toJson(this);
    }

    /** Whether this entry still carries the JSON it was sealed from (stores then write it as is). */
    boolean hasSealedJson() {
        return json != null;
    }

    public ModelName model() {
        return model;
    }

    public long sequence() {
        return sequence;
    }

    public Instant time() {
        return time;
    }

    public String principal() {
        return principal;
    }

    public String reason() {
        return reason;
    }

    public Sha256 prevHash() {
        return prevHash;
    }

    public Sha256 hash() {
        return hash;
    }

    public RegistryEvent event() {
        return event;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e && sequence == e.sequence && model.equals(e.model) && time.equals(e.time)
                && principal.equals(e.principal) && reason.equals(e.reason) && prevHash.equals(e.prevHash)
                && hash.equals(e.hash) && event.equals(e.event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, sequence, time, principal, reason, prevHash, hash, event);
    }

    @Override
    public String toString() {
        return "LogEntry[model=" + model + ", sequence=" + sequence + ", time=" + time + ", principal=" + principal
                + ", reason=" + reason + ", prevHash=" + prevHash + ", hash=" + hash + ", event=" + event + "]";
    }
}
