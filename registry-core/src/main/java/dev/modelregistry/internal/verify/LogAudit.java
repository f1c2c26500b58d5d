package dev.modelregistry.internal.verify;

import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.RegistryException;
import dev.modelregistry.Sha256;

import dev.modelregistry.VerificationReport.Finding;
import dev.modelregistry.VerificationReport.LogResult;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.spi.SupportsStorageAudit.RecordedHead;
import dev.modelregistry.spi.SupportsStorageAudit.StoredEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Walks one log's hash chain and names the first change: an entry edited (its content no longer
 * hashes to its recorded hash, its text is not what the codec writes, or a later entry no longer
 * links to it), deleted (a gap in the sequence numbers, or a primary copy missing where a snapshot
 * still holds the entry), reordered (an entry stored where another belongs), or the log truncated
 * (it ends before where the store recorded it reached).
 */
public final class LogAudit {
    private LogAudit() {
    }

    /** A log as {@link dev.modelregistry.EventStore#read} returned it, for stores without a storage audit. */
    public static LogResult ofEntries(ModelName model, List<LogEntry> entries) {
        Walk walk = new Walk(model);
        for (LogEntry e : entries) {
            LogResult broken = walk.next(e, e.sequence(), "entry " + e.sequence());
            if (broken != null) {
                return broken;
            }
        }
        return walk.intact();
    }

    /** A log as the store holds it, every copy, checked against the store's own record of its end. */
    public static LogResult ofStorage(ModelName model, List<StoredEntry> stored, Optional<RecordedHead> head) {
        TreeMap<Long, List<StoredEntry>> byPosition = new TreeMap<>();
        for (StoredEntry s : stored) {
            byPosition.computeIfAbsent(s.position(), p -> new ArrayList<>()).add(s);
        }
        Walk walk = new Walk(model);
        Map<Long, Sha256> hashes = new HashMap<>();
        for (Map.Entry<Long, List<StoredEntry>> at : byPosition.entrySet()) {
            long position = at.getKey();
            List<StoredEntry> copies = at.getValue();
            StoredEntry primary = copies.stream().filter(StoredEntry::primary).findFirst().orElse(null);
            StoredEntry shown = primary != null ? primary : copies.get(0);
            if (position > walk.expected) {
                return walk.broken(Finding.DELETED, "expected sequence " + walk.expected + " but found " + position + " at "
                        + shown.location() + ": entries " + walk.expected + ".." + (position - 1) + " were deleted");
            }
            if (primary == null) {
                boolean anyPrimaryLater = byPosition.tailMap(position, false).values().stream()
                        .anyMatch(later -> later.stream().anyMatch(StoredEntry::primary));
                if (!anyPrimaryLater) {
                    return walk.broken(Finding.TRUNCATED, "the log ends at " + (position - 1) + " but " + shown.location()
                            + " still holds entries up to " + byPosition.lastKey() + ": entries " + position + ".."
                            + byPosition.lastKey() + " were deleted from its end");
                }
                return walk.broken(Finding.DELETED, "entry " + position + " was deleted from its place; only " + shown.location()
                        + " (a secondary copy) still holds it");
            }
            LogEntry entry = null;
            for (StoredEntry copy : copies) {
                LogEntry parsed;
                try {
                    parsed = EventCodec.fromJson(copy.text());
                } catch (IntegrityException e) {
                    return walk.brokenAt(position, Finding.EDITED, "the text stored at " + copy.location()
                            + " is not a readable log entry (it was edited): " + e.getMessage());
                }
                if (!EventCodec.toJson(parsed).equals(copy.text())) {
                    return walk.brokenAt(position, Finding.EDITED, "the text stored at " + copy.location()
                            + " was edited: it is not the canonical JSON of its own content");
                }
                if (copy == primary) {
                    entry = parsed;
                }
            }
            // The primary copy first: a moved or edited primary is named as such, not as a disagreement.
            LogResult broken = walk.next(entry, position, primary.location());
            if (broken != null) {
                return broken;
            }
            for (StoredEntry copy : copies) {
                if (copy != primary && !copy.text().equals(primary.text())) {
                    return walk.brokenAt(position, Finding.EDITED, "the copies of entry " + position + " differ: "
                            + primary.location() + " and " + copy.location() + " hold different entries; one was edited");
                }
            }
            hashes.put(position, entry.hash());
        }
        if (head.isPresent()) {
            RecordedHead h = head.get();
            long last = walk.expected - 1;
            if (h.sequence() > last) {
                return walk.broken(Finding.TRUNCATED, "the log ends at " + last + " but " + h.location() + " records that it reached "
                        + h.sequence() + ": entries " + (last + 1) + ".." + h.sequence() + " were deleted");
            }
            Sha256 there = hashes.get(h.sequence());
            if (h.hash().isPresent() && there != null && !there.equals(h.hash().get())) {
                return walk.brokenAt(h.sequence(), Finding.EDITED, "entry " + h.sequence() + " hashes to " + there + " but "
                        + h.location() + " recorded " + h.hash().get() + " when it was written: it was replaced");
            }
        }
        return walk.intact();
    }

    /** A read that failed outright: the store found the log unreadable. */
    public static LogResult unreadable(ModelName model, RegistryException e) {
        return new LogResult(model, 0, OptionalLong.empty(), "the log cannot be read as stored: " + e.getMessage(), Finding.EDITED);
    }

    /** The chain so far: the next sequence number expected and the hash it must link to. */
    private static final class Walk {
        final ModelName model;
        long expected = 1;
        Sha256 prev = LogEntry.GENESIS;

        Walk(ModelName model) {
            this.model = model;
        }

        /** Checks the entry found at {@code position}; null when it continues the chain. */
        LogResult next(LogEntry e, long position, String where) {
            if (position > expected) {
                return broken(Finding.DELETED, "expected sequence " + expected + " but found " + position + " at " + where
                        + ": entries " + expected + ".." + (position - 1) + " were deleted");
            }
            if (e.sequence() != position || e.sequence() != expected) {
                return broken(e.sequence() > expected && position == e.sequence() ? Finding.DELETED : Finding.REORDERED,
                        "expected sequence " + expected + " but found " + e.sequence() + " at " + where
                                + (e.sequence() > expected && position == e.sequence() ? ": entries were deleted"
                                : ": entries were moved or swapped"));
            }
            if (!e.model().equals(model)) {
                return broken(Finding.REORDERED, where + " holds an entry of model " + e.model() + ": it was moved between logs");
            }
            Sha256 actual = EventCodec.computeHash(e);
            if (!actual.equals(e.hash())) {
                return broken(Finding.EDITED, "entry " + expected + " at " + where + " was edited: its content hashes to "
                        + actual + " but the entry records " + e.hash());
            }
            if (!e.prevHash().equals(prev)) {
                return broken(Finding.EDITED, "prevHash " + e.prevHash() + " of entry " + expected + " does not match the hash of entry "
                        + (expected - 1) + " (" + prev + "): entry " + (expected - 1) + " was replaced, or edited and re-hashed");
            }
            prev = e.hash();
            expected++;
            return null;
        }

        LogResult broken(Finding finding, String problem) {
            return brokenAt(expected, finding, problem);
        }

        LogResult brokenAt(long sequence, Finding finding, String problem) {
            return new LogResult(model, Math.max(0, sequence - 1), OptionalLong.of(sequence), problem, finding);
        }

        LogResult intact() {
            return new LogResult(model, expected - 1, OptionalLong.empty(), "", Finding.INTACT);
        }
    }
}
