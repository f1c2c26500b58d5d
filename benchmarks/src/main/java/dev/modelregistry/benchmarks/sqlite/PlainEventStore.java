package dev.modelregistry.benchmarks.sqlite;

import dev.modelregistry.ModelName;
import dev.modelregistry.LogEntry;
import dev.modelregistry.EventStore;
import java.util.List;

/** An event store with none of the optional query capabilities: a registry over it folds every log it needs. */
final class PlainEventStore implements EventStore {
    private final EventStore delegate;

    PlainEventStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
        delegate.append(model, expectedLastSequence, entries);
    }

    @Override
    public List<LogEntry> read(ModelName model, long fromSequence) {
        return delegate.read(model, fromSequence);
    }

    @Override
    public long lastSequence(ModelName model) {
        return delegate.lastSequence(model);
    }

    @Override
    public List<ModelName> models() {
        return delegate.models();
    }

    @Override
    public long changeToken() {
        return delegate.changeToken();
    }
}
