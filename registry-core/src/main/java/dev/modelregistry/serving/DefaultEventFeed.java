package dev.modelregistry.serving;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ValidationException;
import dev.modelregistry.LogEntry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one {@link EventFeed}: a {@link Poller} that reads each model's log after its cursor. */
final class DefaultEventFeed implements EventFeed {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

    private final ModelRegistry registry;
    private final RegistryListener listener;
    private final CursorStore cursors;
    private final Poller poller;
    /** Wakes the poller at once when the backend can tell this process about a change. */
    private volatile AutoCloseable changeSubscription;

    // Touched only by checks and by exclusive actions, which the poller runs one at a time.
    private long lastToken;
    private boolean readAll = true;

    private DefaultEventFeed(EventFeed.Builder b, Duration base, Duration max) {
        this.registry = b.registry;
        this.listener = b.listener;
        this.cursors = b.cursors != null ? b.cursors : CursorStore.inMemory();
        this.poller = new Poller("event-feed", b.scheduler, base, max, this::check);
    }

    static EventFeed start(EventFeed.Builder b, Duration base, Duration max) {
        DefaultEventFeed feed = new DefaultEventFeed(b, base, max);
        if (b.startAtEnd) {
            feed.skipHistoryOfModelsWithoutCursor();
        }
        feed.poller.wakeUp();
        feed.changeSubscription = feed.registry.onChange(feed.poller::wakeUpSoon);
        return feed;
    }

    private void skipHistoryOfModelsWithoutCursor() {
        var saved = cursors.positions();
        for (ModelName m : registry.models()) {
            if (!saved.containsKey(m)) {
                List<LogEntry> log = registry.log(m.value(), 1);
                if (!log.isEmpty()) {
                    cursors.save(m, log.get(log.size() - 1).sequence());
                }
            }
        }
    }

    @Override
    public void pollNow() {
        poller.pollNow();
    }

    @Override
    public void replayFrom(String model, long sequence) {
        ModelName name = ModelName.of(model);
        if (sequence < 1) {
            throw new ValidationException("Log sequence numbers start at 1, got " + sequence + " for " + name);
        }
        poller.exclusively(() -> {
            cursors.save(name, sequence - 1);
            readAll = true;
        });
        LOG.info("Event feed: replaying {} from sequence {}", name, sequence);
        poller.wakeUp();
    }

    @Override
    public long position(String model) {
        return cursors.position(ModelName.of(model));
    }

    /** One poll; true when anything was delivered or is waiting to be. */
    private boolean check() {
        long token = registry.changeToken();
        if (token == lastToken && !readAll) {
            return false;
        }
        lastToken = token;
        boolean delivered = false;
        boolean retry = false;
        for (ModelName model : registry.models()) {
            long cursor = cursors.position(model);
            long last = cursor;
            try {
                for (LogEntry entry : registry.log(model.value(), cursor + 1)) {
                    if (entry.sequence() != last + 1) {
                        LOG.warn("Event feed: {} entry {} follows {}; waiting for the gap to fill", model, entry.sequence(), last);
                        retry = true;
                        break;
                    }
                    try {
                        listener.onEvent(entry);
                    } catch (Exception e) {
                        LOG.warn("Event feed: listener failed on {} entry {} ({}); it will be delivered again: {}",
                                model, entry.sequence(), entry.event().getClass().getSimpleName(), e.toString(), e);
                        retry = true;
                        break;
                    }
                    last = entry.sequence();
                    delivered = true;
                }
            } finally {
                if (last != cursor) {
                    cursors.save(model, last);
                }
            }
        }
        // A refused entry is retried at the next poll even when the token stays put; the poll backs
        // off meanwhile, so a listener that keeps failing is not called in a tight loop.
        readAll = retry;
        return delivered;
    }

    @Override
    public void close() {
        DefaultModelHandle.closeQuietly(changeSubscription);
        poller.close();
    }

    @Override
    public String toString() {
        return "EventFeed[" + cursors + "]";
    }
}
