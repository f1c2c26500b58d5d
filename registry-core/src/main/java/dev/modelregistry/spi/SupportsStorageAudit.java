package dev.modelregistry.spi;

import dev.modelregistry.EventStore;

import dev.modelregistry.ModelName;
import dev.modelregistry.Sha256;
import java.util.List;
import java.util.Optional;

/**
 * An event store that can show {@code verify()} its logs as stored, uninterpreted, and what it
 * recorded about them independently of the entries themselves. Reading through {@link EventStore#read}
 * alone cannot reveal everything: a store may refuse to return a misplaced entry, serve a second
 * copy (a snapshot) instead of the primary one, and a log whose last entries were deleted still
 * reads as a valid, shorter chain. With this capability the core names each kind of change.
 */
public interface SupportsStorageAudit {

    /**
     * Every stored copy of every entry of {@code model}'s log, as text, in no particular order: one
     * primary copy per entry where the store writes it first (a row, a log object), and any
     * secondary copies (snapshots). Never interprets or checks the text; never throws for content.
     */
    List<StoredEntry> storedEntries(ModelName model);

    /**
     * Where the store recorded, apart from the entries, that {@code model}'s log reaches: at least
     * {@code sequence}, and, when known, the hash of the entry there. Empty when it recorded nothing.
     * {@code verify()} reads it before {@link #storedEntries}, so an append between the two reads
     * only makes the entries reach further than the head.
     */
    Optional<RecordedHead> recordedHead(ModelName model);

    /**
     * @param position the sequence number the storage files the text under (a row's key, a log
     *                 object's key plus its line)
     * @param location where it is, for people (a row, an object URI)
     * @param text     the stored text, exactly
     * @param primary  whether this is the entry's primary copy, as opposed to a snapshot of it
     */
    record StoredEntry(long position, String location, String text, boolean primary) {
    }

    /**
     * @param sequence the log reaches at least this far
     * @param hash     the hash of the entry at {@code sequence}, when the store recorded it
     * @param location what recorded it, for people
     */
    record RecordedHead(long sequence, Optional<Sha256> hash, String location) {
    }
}
