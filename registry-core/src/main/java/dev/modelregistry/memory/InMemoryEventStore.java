package dev.modelregistry.memory;

import dev.modelregistry.ConcurrentUpdateException;
import dev.modelregistry.ModelName;
import dev.modelregistry.LogEntry;
import dev.modelregistry.EventStore;
import dev.modelregistry.spi.SupportsChangeNotification;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Model logs in memory, for tests and short-lived tools: nothing survives the JVM. The
 * compare-and-swap is a lock per model log. Watchers are told of every append directly.
 */
public final class InMemoryEventStore implements EventStore, SupportsChangeNotification {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InMemoryEventStore.class);
    private final java.util.List<Runnable> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentMap<ModelName, List<LogEntry>> logs = new ConcurrentHashMap<>();
    /**
     * Bumped on every append. A plain volatile field (updated through a VarHandle) rather than an
     * AtomicLong: readers poll it on the serving path, and it saves them one dependent load.
     */
    private volatile long changes;
    private static final VarHandle CHANGES;

    static {
        try {
            CHANGES = MethodHandles.lookup().findVarHandle(InMemoryEventStore.class, "changes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<LogEntry> log = logs.computeIfAbsent(model, m -> new ArrayList<>());
        synchronized (log) {
            if (log.size() != expectedLastSequence) {
                throw new ConcurrentUpdateException("Log of " + model + " ends at " + log.size()
                        + ", not at the expected " + expectedLastSequence);
            }
            log.addAll(entries);
            CHANGES.getAndAdd(this, 1L);
        }
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("Change listener {} threw: {}", listener, e.toString(), e);
            }
        }
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public List<LogEntry> read(ModelName model, long fromSequence) {
        List<LogEntry> log = logs.get(model);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            int from = (int) Math.max(0, Math.min(log.size(), fromSequence - 1));
            return List.copyOf(log.subList(from, log.size()));
        }
    }

    @Override
    public long lastSequence(ModelName model) {
        List<LogEntry> log = logs.get(model);
        if (log == null) {
            return 0;
        }
        synchronized (log) {
            return log.size();
        }
    }

    @Override
    public List<ModelName> models() {
        return logs.entrySet().stream()
                .filter(e -> lastSequence(e.getKey()) > 0)
                .map(java.util.Map.Entry::getKey)
                .sorted()
                .toList();
    }

    @Override
    public long changeToken() {
        return changes;
    }
}
