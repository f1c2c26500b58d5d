package dev.modelregistry.sqlite;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Page;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.LogEntry;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import dev.modelregistry.EventStore;
import dev.modelregistry.spi.SupportsLineageQueries;
import dev.modelregistry.spi.SupportsRequestQueries;
import dev.modelregistry.spi.SupportsVersionQueries;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SqliteEventStore} seen through every capability it offers, recording which model logs the
 * registry reads: a registry that answers from the store's tables reads none.
 */
final class CountingStore implements EventStore, SupportsVersionQueries, SupportsLineageQueries, SupportsRequestQueries {
    private final SqliteEventStore store;
    final Set<ModelName> logsRead = ConcurrentHashMap.newKeySet();

    CountingStore(SqliteEventStore store) {
        this.store = store;
    }

    /** The model logs read, apart from the registry's own log (policies live there). */
    Set<ModelName> modelLogsRead() {
        return logsRead.stream().filter(m -> !m.isSystem()).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public void append(ModelName model, long expectedLastSequence, List<LogEntry> entries) {
        store.append(model, expectedLastSequence, entries);
    }

    @Override
    public List<LogEntry> read(ModelName model, long fromSequence) {
        logsRead.add(model);
        return store.read(model, fromSequence);
    }

    @Override
    public long lastSequence(ModelName model) {
        return store.lastSequence(model);
    }

    @Override
    public List<ModelName> models() {
        return store.models();
    }

    @Override
    public long changeToken() {
        return store.changeToken();
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public Optional<ModelVersion> findVersion(ModelName model, SemVer version) {
        return store.findVersion(model, version);
    }

    @Override
    public Optional<ModelVersion> findByTag(ModelName model, String tag) {
        return store.findByTag(model, tag);
    }

    @Override
    public Optional<ModelVersion> findCurrent(ModelName model, Stage stage) {
        return store.findCurrent(model, stage);
    }

    @Override
    public Optional<ModelVersion> findHighest(ModelName model, VersionRange range) {
        return store.findHighest(model, range);
    }

    @Override
    public Optional<ModelVersion> findLatest(ModelName model) {
        return store.findLatest(model);
    }

    @Override
    public Page<ModelVersion> search(ModelName model, VersionQuery query) {
        return store.search(model, query);
    }

    @Override
    public Optional<List<LineageResult>> upstream(ModelName model, SemVer version, LineageQuery query) {
        return store.upstream(model, version, query);
    }

    @Override
    public Optional<List<LineageResult>> downstream(NodeId node, LineageQuery query) {
        return store.downstream(node, query);
    }

    @Override
    public List<LogEntry> openRequestEntries(ModelName model) {
        return store.openRequestEntries(model);
    }

    @Override
    public List<ModelName> modelsWithOpenRequests() {
        return store.modelsWithOpenRequests();
    }
}
