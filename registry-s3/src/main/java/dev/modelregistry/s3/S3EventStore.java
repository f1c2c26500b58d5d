package dev.modelregistry.s3;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelName;
import dev.modelregistry.RegistryException;
import dev.modelregistry.ValidationException;
import dev.modelregistry.LogEntry;
import dev.modelregistry.EventStore;
import dev.modelregistry.spi.SupportsStorageAudit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Every model's log as objects in a bucket; the compare-and-swap is a create-only write.
 *
 * <h2>Layout</h2>
 * One object per append, {@code models/<model>/log/<first sequence>.json}, holding the appended
 * entries (see {@link LogObjects}). Appending after sequence N creates the key N+1 with
 * {@code If-None-Match: *}: of all writers that read the log up to N, exactly one creates it, and a
 * batch (the two events of a promotion that displaces a holder) appears all at once because it is one
 * object. The next append after a batch N+1..N+k creates N+k+1; keys inside a batch never exist, and
 * {@link #append} refuses an expected sequence that is not the end of an append, so no writer can
 * slip a key into one.
 *
 * <h2>Snapshots</h2>
 * When an append crosses a multiple of {@code snapshotEvery}, its writer also stores
 * {@code models/<model>/snapshot/<s>.jsonl}, the entries since the previous snapshot end up to s in
 * one object. Where snapshots end is a function of the immutable log (the end of the append that
 * crossed each multiple), so any writer would write the same snapshot, and a missing one (its writer
 * died) costs only extra reads. A writer that made every append since the previous snapshot itself
 * has those entries in hand and writes the snapshot with no reads; otherwise it reads the appends
 * since the previous snapshot, one GET each. Reading a whole log then takes one GET per snapshot plus one per
 * append since the last; finding the end of a log takes one LIST of snapshot keys and one LIST of the
 * keys after the last snapshot; reading from a sequence near the end starts at the snapshot before it.
 *
 * <h2>Change token</h2>
 * The store remembers where each log ended when it last looked, so catching up is one GET of the
 * next key (a 404 when nothing changed): the existence of the next log object is the change signal.
 * {@link #changeToken()} itself costs no request: it moves on every append through this store and,
 * on its own, at most once per {@code changeCheckInterval}. A registry therefore sees another
 * process's write at most one interval (plus one request) after it happened, and re-checks each
 * model it reads at most once per interval. Writes are never affected: the core re-reads before
 * every write and the create-only write refuses a stale one.
 */
final class S3EventStore implements EventStore, SupportsStorageAudit {
    private static final Logger LOG = LoggerFactory.getLogger(S3EventStore.class);
    private static final int WRITE_ATTEMPTS = 3;
    private static final String BATCH_TYPE = "application/x-ndjson";

    private final S3Client s3;
    private final S3Keys keys;
    private final CreateOnly createOnly;
    private final int snapshotEvery;
    private final long checkIntervalNanos;
    private final LongSupplier ticker;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Where each log ended when this store last looked; never ahead of the bucket. */
    private final ConcurrentMap<ModelName, Position> known = new ConcurrentHashMap<>();
    /**
     * Per model, the entries this store appended since the latest snapshot end, while it appended all
     * of them. Kept for at most {@link #MAX_TAILED_MODELS} models, so a store writing to many models
     * holds at most that many snapshot intervals of entries; the others read their log objects back
     * when they write a snapshot, as a writer that joined mid-interval does.
     */
    private final ConcurrentMap<ModelName, Tail> tails = new ConcurrentHashMap<>();
    static final int MAX_TAILED_MODELS = 64;
    private final AtomicLong token = new AtomicLong();
    private final AtomicLong lastCheck;

    /**
     * A place in a log that is the end of an append: {@code end}, and {@code snapshotEnd}, the end of
     * the latest append at or before it that crossed a multiple of {@code snapshotEvery} (where the
     * latest snapshot ends or should end), or -1 when not known.
     */
    record Position(long end, long snapshotEnd) {
        static final Position START = new Position(0, 0);

        boolean isBetterThan(Position other) {
            return end > other.end || (end == other.end && snapshotEnd > other.snapshotEnd);
        }
    }

    /**
     * The entries {@code after+1..end()} of a log, where {@code after} is where its latest snapshot
     * ends, all of them appended by this store: what the next snapshot holds, so that writing it
     * needs no reads. At most one snapshot interval (plus a batch) of entries per model; a model
     * another writer appended to in between has none, and its snapshot reads the log objects.
     */
    record Tail(long after, List<LogEntry> entries) {
        long end() {
            return after + entries.size();
        }
    }

    S3EventStore(S3Client s3, S3Config config, Runnable onClose) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.keys = new S3Keys(config.bucket(), config.prefix());
        this.createOnly = new CreateOnly(s3, config.bucket(), WRITE_ATTEMPTS);
        this.snapshotEvery = config.snapshotEvery();
        this.checkIntervalNanos = config.changeCheckInterval().toNanos();
        this.ticker = config.nanoTicker();
        this.onClose = onClose;
        this.lastCheck = new AtomicLong(ticker.getAsLong());
    }

    // ================================================================ writing

    @Override
    public void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
        Objects.requireNonNull(model, "model");
        if (entries.isEmpty()) {
            return;
        }
        Position at = known.get(model);
        if (at == null || at.end() < expectedLastSequence) {
            lastSequence(model);
            at = known.get(model);
        }
        if (at.end() != expectedLastSequence) {
            throw new ConcurrentUpdateException("Log of " + model + " ends at " + at.end() + ", not at the expected " + expectedLastSequence);
        }
        long first = expectedLastSequence + 1;
        long last = expectedLastSequence + entries.size();
        String key = keys.log(model, first);
        CreateOnly.Outcome outcome = createOnly.create(key, LogObjects.encodeBatch(entries),
                entries.size() == 1 ? "application/json" : BATCH_TYPE);
        if (outcome == CreateOnly.Outcome.TAKEN) {
            throw new ConcurrentUpdateException("Log of " + model + " moved past " + expectedLastSequence
                    + ": another writer created " + keys.uri(key) + " first");
        }
        boolean crossed = crosses(expectedLastSequence, last);
        observe(model, new Position(last, crossed ? last : at.snapshotEnd()));
        token.incrementAndGet();
        List<LogEntry> sinceSnapshot = sinceSnapshot(model, at.snapshotEnd(), expectedLastSequence, entries);
        if (crossed) {
            keepTail(model, new Tail(last, List.of()));
            if (at.snapshotEnd() >= 0) {
                writeSnapshot(model, at.snapshotEnd(), expectedLastSequence, entries, sinceSnapshot);
            }
        } else if (sinceSnapshot != null) {
            keepTail(model, new Tail(at.snapshotEnd(), sinceSnapshot));
        } else {
            tails.remove(model);
        }
    }

    /** Remembers {@code tail} for {@code model} unless that would hold more than {@link #MAX_TAILED_MODELS} models. */
    private void keepTail(ModelName model, Tail tail) {
        if (tails.size() < MAX_TAILED_MODELS || tails.containsKey(model)) {
            tails.put(model, tail);
        }
    }

    /**
     * The entries from just after {@code snapshotEnd} up to the end of {@code appended} (just written
     * after {@code before}) when this store appended all of them, else null.
     */
    private List<LogEntry> sinceSnapshot(ModelName model, long snapshotEnd, long before, List<LogEntry> appended) {
        if (before == snapshotEnd) {
            return List.copyOf(appended);
        }
        Tail tail = tails.get(model);
        if (tail == null || tail.after() != snapshotEnd || tail.end() != before) {
            return null;
        }
        List<LogEntry> all = new ArrayList<>(tail.entries().size() + appended.size());
        all.addAll(tail.entries());
        all.addAll(appended);
        return List.copyOf(all);
    }

    /** Whether an append after {@code previousEnd} up to {@code end} passes a multiple of the snapshot interval. */
    private boolean crosses(long previousEnd, long end) {
        return previousEnd / snapshotEvery < end / snapshotEvery;
    }

    /**
     * Stores entries {@code after+1..end} as a snapshot, where {@code end} is the last of the
     * {@code appended} entries just written after {@code before}. They are {@code sinceSnapshot}
     * when this store appended them all; otherwise the appends up to {@code before} are read one GET
     * each, starting at {@code after+1} (the end of an append, so the start of the next), and the
     * entries just appended are in hand. A snapshot only saves reads, so failing to write one is
     * logged, not thrown.
     */
    private void writeSnapshot(ModelName model, long after, long before, List<LogEntry> appended, List<LogEntry> sinceSnapshot) {
        long end = before + appended.size();
        String key = keys.snapshot(model, end);
        try {
            List<LogEntry> segment = sinceSnapshot;
            if (segment == null) {
                segment = new ArrayList<>();
                Position reached = follow(model, new Position(after, after), after + 1, before, segment);
                if (reached.end() != before) {
                    throw new IntegrityException("Log of " + model + " ends at " + reached.end() + " reading from " + (after + 1)
                            + ", but " + (before + 1) + " was just appended after " + before);
                }
                segment.addAll(appended);
            }
            for (int i = 0; i < segment.size(); i++) {
                if (segment.get(i).sequence() != after + 1 + i) {
                    throw new IntegrityException("Log of " + model + " holds entry " + segment.get(i).sequence() + " where "
                            + (after + 1 + i) + " belongs");
                }
            }
            if (segment.size() != end - after) {
                throw new IntegrityException("Log of " + model + " has " + segment.size() + " entries from " + (after + 1)
                        + " to " + end + ", expected " + (end - after));
            }
            createOnly.create(key, LogObjects.encodeSegment(model, after + 1, end, segment), BATCH_TYPE);
        } catch (RegistryException | SdkException e) {
            LOG.warn("Cannot write snapshot {} ({}); readers will read the log objects instead", keys.uri(key), e.toString());
        }
    }

    // ================================================================ reading

    @Override
    public List<LogEntry> read(ModelName model, long fromSequence) {
        Objects.requireNonNull(model, "model");
        long from = Math.max(1, fromSequence);
        List<LogEntry> out = new ArrayList<>();
        Position at = known.get(model);
        if (at != null && at.end() == from - 1) {
            observe(model, follow(model, at, from, Long.MAX_VALUE, out));
            return out;
        }
        List<Long> snapshots = snapshotEnds(model);
        Position start = Position.START;
        for (long s : snapshots) {
            if (s < from) {
                start = new Position(s, s);
            }
        }
        if (at != null && at.end() < from && at.end() > start.end()) {
            start = at;
        }
        Position pos = start;
        for (long s : snapshots) {
            if (s <= pos.end()) {
                continue;
            }
            Optional<byte[]> body = get(keys.snapshot(model, s));
            if (body.isEmpty()) {
                continue;
            }
            LogObjects.Segment segment = LogObjects.decodeSegment(keys.uri(keys.snapshot(model, s)).toString(), model, s, body.get());
            if (segment.from() > pos.end() + 1) {
                // An earlier snapshot is missing: read the appends in between one by one.
                pos = follow(model, pos, from, segment.from() - 1, out);
                if (pos.end() != segment.from() - 1) {
                    throw new IntegrityException("Snapshot " + keys.uri(keys.snapshot(model, s)) + " starts at " + segment.from()
                            + " but the log objects before it end at " + pos.end());
                }
            }
            for (LogEntry e : segment.entries()) {
                if (e.sequence() > pos.end() && e.sequence() >= from) {
                    out.add(e);
                }
            }
            pos = new Position(s, s);
        }
        observe(model, follow(model, pos, from, Long.MAX_VALUE, out));
        return out;
    }

    /**
     * Reads appends one object at a time from just after {@code at} until the next key is missing or
     * {@code until} is reached, adding entries numbered {@code from} or later to {@code out} (when
     * given), and returns where it stopped.
     */
    private Position follow(ModelName model, Position at, long from, long until, List<LogEntry> out) {
        Position pos = at;
        while (pos.end() < until) {
            long first = pos.end() + 1;
            String key = keys.log(model, first);
            Optional<byte[]> body = get(key);
            if (body.isEmpty()) {
                break;
            }
            List<LogEntry> batch = LogObjects.decodeBatch(keys.uri(key).toString(), model, first, body.get());
            if (out != null) {
                for (LogEntry e : batch) {
                    if (e.sequence() >= from) {
                        out.add(e);
                    }
                }
            }
            long end = first + batch.size() - 1;
            pos = new Position(end, crosses(pos.end(), end) ? end : pos.snapshotEnd());
        }
        return pos;
    }

    @Override
    public long lastSequence(ModelName model) {
        Objects.requireNonNull(model, "model");
        Position at = known.get(model);
        if (at == null) {
            at = locateEnd(model);
        }
        Position end = follow(model, at, Long.MAX_VALUE, Long.MAX_VALUE, null);
        observe(model, end);
        return end.end();
    }

    /**
     * Finds the end of a log this store has not looked at: the last snapshot, then the keys of the
     * appends after it (one LIST each), then the last of those appends (one GET).
     */
    private Position locateEnd(ModelName model) {
        List<Long> snapshots = snapshotEnds(model);
        long base = snapshots.isEmpty() ? 0 : snapshots.get(snapshots.size() - 1);
        List<Long> starts = new ArrayList<>();
        String logPrefix = keys.logPrefix(model);
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(keys.bucket()).prefix(logPrefix)
                .startAfter(base == 0 ? null : keys.log(model, base)).build();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object o : page.contents()) {
                    S3Keys.sequenceOf(o.key(), logPrefix, ".json").ifPresent(starts::add);
                }
            }
        } catch (SdkException e) {
            throw S3Errors.storage("Cannot list the log of " + model + " in " + keys.uri(logPrefix), e);
        }
        if (starts.isEmpty()) {
            return new Position(base, base);
        }
        if (starts.get(0) != base + 1) {
            throw new IntegrityException("Log of " + model + " continues at " + starts.get(0) + " after " + base
                    + "; entries " + (base + 1) + ".." + (starts.get(0) - 1) + " are missing");
        }
        Position pos = new Position(base, base);
        for (int i = 0; i + 1 < starts.size(); i++) {
            long end = starts.get(i + 1) - 1;
            pos = new Position(end, crosses(pos.end(), end) ? end : pos.snapshotEnd());
        }
        return pos;
    }

    /** The sequence numbers snapshots of {@code model} end at, ascending. */
    private List<Long> snapshotEnds(ModelName model) {
        String prefix = keys.snapshotPrefix(model);
        List<Long> ends = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(keys.bucket()).prefix(prefix))) {
                for (S3Object o : page.contents()) {
                    S3Keys.sequenceOf(o.key(), prefix, ".jsonl").ifPresent(ends::add);
                }
            }
        } catch (SdkException e) {
            throw S3Errors.storage("Cannot list the snapshots of " + model + " in " + keys.uri(prefix), e);
        }
        ends.sort(null);
        return ends;
    }

    // ================================================================ storage audit

    /**
     * Every log object of the model (primary copies, found by listing, so a gap shows) and every
     * snapshot (secondary copies), line by line as stored. Reads bypass the snapshots here on
     * purpose: {@link #read} prefers them, so an edited or deleted log object they cover would
     * otherwise never be looked at.
     */
    @Override
    public List<StoredEntry> storedEntries(ModelName model) {
        Objects.requireNonNull(model, "model");
        List<StoredEntry> out = new ArrayList<>();
        String logPrefix = keys.logPrefix(model);
        for (String key : list(logPrefix)) {
            Optional<Long> first = S3Keys.sequenceOf(key, logPrefix, ".json");
            Optional<byte[]> body = first.isPresent() ? get(key) : Optional.empty();
            if (body.isPresent()) {
                List<String> lines = LogObjects.lines(body.get());
                for (int i = 0; i < lines.size(); i++) {
                    out.add(new StoredEntry(first.get() + i, keys.uri(key).toString(), lines.get(i), true));
                }
            }
        }
        String snapshotPrefix = keys.snapshotPrefix(model);
        for (String key : list(snapshotPrefix)) {
            Optional<Long> end = S3Keys.sequenceOf(key, snapshotPrefix, ".jsonl");
            Optional<byte[]> body = end.isPresent() ? get(key) : Optional.empty();
            if (body.isPresent()) {
                List<String> lines = LogObjects.lines(body.get());
                long from = lines.isEmpty() ? -1 : LogObjects.segmentStart(lines.get(0));
                if (from < 1) {
                    // An unreadable header: hand the text over as it is, so the audit names the object.
                    out.add(new StoredEntry(end.get(), keys.uri(key).toString(), lines.isEmpty() ? "" : lines.get(0), false));
                    continue;
                }
                for (int i = 1; i < lines.size(); i++) {
                    out.add(new StoredEntry(from + i - 1, keys.uri(key).toString(), lines.get(i), false));
                }
            }
        }
        return out;
    }

    /**
     * Nothing beyond the snapshots, which {@link #storedEntries} already hands over as second copies:
     * deleting log objects a snapshot covers shows there, deleting the appends after the last
     * snapshot cannot be told from a shorter log.
     */
    @Override
    public Optional<RecordedHead> recordedHead(ModelName model) {
        return Optional.empty();
    }

    private List<String> list(String prefix) {
        List<String> out = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(keys.bucket()).prefix(prefix))) {
                for (S3Object o : page.contents()) {
                    out.add(o.key());
                }
            }
        } catch (SdkException e) {
            throw S3Errors.storage("Cannot list " + keys.uri(prefix), e);
        }
        out.sort(null);
        return out;
    }

    @Override
    public List<ModelName> models() {
        String prefix = keys.modelsPrefix();
        List<ModelName> models = new ArrayList<>();
        try {
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(keys.bucket()).prefix(prefix).delimiter("/"))) {
                for (CommonPrefix p : page.commonPrefixes()) {
                    String name = p.prefix().substring(prefix.length(), p.prefix().length() - 1);
                    try {
                        models.add(name.equals(ModelName.SYSTEM.value()) ? ModelName.SYSTEM : ModelName.of(name));
                    } catch (ValidationException e) {
                        LOG.debug("Ignoring {} under {}: not a model name", name, keys.uri(prefix));
                    }
                }
            }
        } catch (SdkException e) {
            throw S3Errors.storage("Cannot list models in " + keys.uri(prefix), e);
        }
        models.sort(null);
        return models;
    }

    @Override
    public long changeToken() {
        if (checkIntervalNanos == 0) {
            return token.incrementAndGet();
        }
        long now = ticker.getAsLong();
        long last = lastCheck.get();
        if (now - last >= checkIntervalNanos && lastCheck.compareAndSet(last, now)) {
            return token.incrementAndGet();
        }
        return token.get();
    }

    private void observe(ModelName model, Position pos) {
        known.merge(model, pos, (old, now) -> now.isBetterThan(old) ? now : old);
    }

    private Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(r -> r.bucket(keys.bucket()).key(key)).asByteArrayUnsafe());
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            throw S3Errors.storage("Cannot read " + keys.uri(key), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "S3EventStore[" + keys.uri(keys.modelsPrefix()) + "]";
    }
}
