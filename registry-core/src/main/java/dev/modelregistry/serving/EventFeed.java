package dev.modelregistry.serving;

import dev.modelregistry.ModelRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Tails every model's log and hands each entry to a {@link RegistryListener}: at least once, in log
 * order per model, resumable from a {@link CursorStore} after a restart, and replayable from any
 * sequence number.
 *
 * <pre>{@code
 * EventFeed feed = EventFeed.builder(registry, entry -> {
 *         if (entry.event() instanceof StageChanged c && c.to().equals(Stage.PRODUCTION)) {
 *             alerts.send(entry.model() + " " + c.version() + " is in production (" + c.kind() + ")");
 *         }
 *     })
 *     .cursorStore(CursorStore.file(Path.of("/var/lib/app/registry-cursor.json")))
 *     .start();
 * }</pre>
 *
 * <p><b>How it watches.</b> Every {@code pollInterval} (default 1 s, doubling up to
 * {@code maxPollInterval}, default 10 s, while nothing changes) the feed compares
 * {@link ModelRegistry#changeToken()}; only when it moved does it list {@link ModelRegistry#models()}
 * (new models are picked up there) and read each model's log after its cursor with
 * {@link ModelRegistry#log(String, long)}. The token is an atomic counter in memory, SQLite's
 * {@code PRAGMA data_version} plus the store's own commits, and on S3 a local value that moves on
 * local writes and at most once per {@code S3Config.changeCheckInterval} for other processes' writes.
 *
 * <p><b>Cursors.</b> After the listener returns for a model's new entries the feed saves the last
 * one's sequence number. A crash between handling and saving delivers those entries again; a listener
 * that throws gets the same entry again at the next poll (the model waits, other models go on). The
 * registry's own log of policy changes is not part of the feed.
 *
 * <p>Entries are delivered on the feed's scheduler thread, one at a time.
 */
public interface EventFeed extends AutoCloseable {

    /** A feed of {@code registry}'s events to {@code listener}. */
    static Builder builder(ModelRegistry registry, RegistryListener listener) {
        return new Builder(registry, listener);
    }

    /** Checks the registry and delivers what is new on the calling thread, now (waiting for a poll in progress). */
    void pollNow();

    /**
     * Moves {@code model}'s cursor so that the next delivery starts at {@code sequence} (earlier to
     * replay, later to skip), saves it, and polls at once on the feed's thread.
     */
    void replayFrom(String model, long sequence);

    /** The last delivered (and saved) sequence number of {@code model}; 0 when none. */
    long position(String model);

    /** Stops polling; waits for a delivery in progress. */
    @Override
    void close();

    /** Builds and starts an {@link EventFeed}. Each setting may be given once and is checked at the call. */
    final class Builder {
        final ModelRegistry registry;
        final RegistryListener listener;
        CursorStore cursors;
        Duration pollInterval;
        Duration maxPollInterval;
        ScheduledExecutorService scheduler;
        boolean startAtEnd;

        private Builder(ModelRegistry registry, RegistryListener listener) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.listener = Objects.requireNonNull(listener, "listener");
        }

        /** Where positions are kept; by default in memory (every start delivers from the beginning). */
        public Builder cursorStore(CursorStore store) {
            requireUnset(cursors, "cursorStore");
            this.cursors = Objects.requireNonNull(store, "cursorStore");
            return this;
        }

        /** How often the change token is compared while it is moving (default 1 s). */
        public Builder pollInterval(Duration interval) {
            requireUnset(pollInterval, "pollInterval");
            this.pollInterval = positive("pollInterval", interval);
            return this;
        }

        /** The longest wait between checks while nothing changes (default 10 s). */
        public Builder maxPollInterval(Duration interval) {
            requireUnset(maxPollInterval, "maxPollInterval");
            this.maxPollInterval = positive("maxPollInterval", interval);
            return this;
        }

        /** Where polls and deliveries run; not shut down by the feed. By default a daemon thread of its own. */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            requireUnset(this.scheduler, "scheduler");
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Models that have no saved position when the feed starts begin after their last entry at that
         * moment instead of at their first; models created later are still delivered from their first
         * entry.
         */
        public Builder startAtEnd() {
            this.startAtEnd = true;
            return this;
        }

        /** Starts polling; the first check runs at once. */
        public EventFeed start() {
            Duration base = pollInterval != null ? pollInterval : ModelHandle.Builder.DEFAULT_POLL_INTERVAL;
            Duration max = maxPollInterval != null ? maxPollInterval
                    : ModelHandle.Builder.DEFAULT_MAX_POLL_INTERVAL.compareTo(base) < 0 ? base : ModelHandle.Builder.DEFAULT_MAX_POLL_INTERVAL;
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException("maxPollInterval " + max + " is shorter than pollInterval " + base);
            }
            return DefaultEventFeed.start(this, base, max);
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }
    }
}
