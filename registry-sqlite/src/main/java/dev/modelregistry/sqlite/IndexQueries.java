package dev.modelregistry.sqlite;

import dev.modelregistry.EventCodec;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NodeId;
import dev.modelregistry.Page;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.spi.SupportsLineageQueries;
import dev.modelregistry.spi.SupportsRequestQueries;
import dev.modelregistry.spi.SupportsVersionQueries;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The query side of one {@link SqliteEventStore}: its answers from the query tables that every
 * append keeps in step with the logs ({@link Projection}), on the reader connections. Each answer
 * selects rows and hands back the entries or versions they point to; what the entries mean (ranges,
 * lineage paths, how requests fold) is the core's, so no rule of the domain is restated here.
 */
final class IndexQueries implements SupportsVersionQueries, SupportsLineageQueries, SupportsRequestQueries {
    private final Path file;
    private final ReaderPool readers;
    private final Statements statements;

    IndexQueries(Path file, ReaderPool readers, Statements statements) {
        this.file = file;
        this.readers = readers;
        this.statements = statements;
    }

    /** A model name read back from the database; the registry's own log has a reserved name. */
    static ModelName modelName(String stored) {
        return stored.equals(ModelName.SYSTEM.value()) ? ModelName.SYSTEM : ModelName.of(stored);
    }

    @Override
    public Optional<ModelVersion> findVersion(ModelName model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return findOne("find " + model + "@" + version, "find.version", model, ps -> ps.setBytes(2, PrecedenceKey.of(version)));
    }

    @Override
    public Optional<ModelVersion> findByTag(ModelName model, String tag) {
        Objects.requireNonNull(tag, "tag");
        return findOne("find tag " + tag + " of " + model, "find.by_tag", model, ps -> ps.setString(2, tag));
    }

    @Override
    public Optional<ModelVersion> findCurrent(ModelName model, Stage stage) {
        Objects.requireNonNull(stage, "stage");
        return findOne("find the version in " + stage + " of " + model, "find.current", model, ps -> ps.setString(2, stage.name()));
    }

    @Override
    public Optional<ModelVersion> findLatest(ModelName model) {
        return findOne("find the latest version of " + model, "find.latest", model, ps -> { });
    }

    /**
     * Walks the versions from the highest down and returns the first the range contains: ranges are
     * tested in Java, with the core's own semantics, and the walk reads only version texts until it
     * finds the match.
     */
    @Override
    public Optional<ModelVersion> findHighest(ModelName model, VersionRange range) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(range, "range");
        return readers.withReader("find the highest version of " + model + " in " + range, s -> {
            long modelId = modelId(s, model);
            if (modelId < 0) {
                return Optional.<ModelVersion>empty();
            }
            PreparedStatement scan = s.named("find.versions_by_precedence_desc");
            scan.setLong(1, modelId);
            long match = -1;
            try (ResultSet rs = scan.executeQuery()) {
                while (rs.next()) {
                    if (range.contains(SemVer.parse(rs.getString(1)))) {
                        match = rs.getLong(2);
                        break;
                    }
                }
            }
            if (match < 0) {
                return Optional.<ModelVersion>empty();
            }
            PreparedStatement entry = s.named("log.entry");
            entry.setLong(1, modelId);
            entry.setLong(2, match);
            try (ResultSet rs = entry.executeQuery()) {
                return rs.next() ? Optional.of(versionOf(rs.getString(1))) : Optional.<ModelVersion>empty();
            }
        });
    }

    @Override
    public Page<ModelVersion> search(ModelName model, VersionQuery query) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(query, "query");
        return readers.withReader("search the versions of " + model, s -> {
            long modelId = modelId(s, model);
            if (modelId < 0) {
                return new Page<ModelVersion>(List.of(), null);
            }
            SearchStatement search = SearchStatement.of(statements, modelId, query);
            List<ModelVersion> rows = new ArrayList<>(query.limit() + 1);
            try (PreparedStatement ps = s.connection().prepareStatement(search.sql())) {
                search.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(versionOf(rs.getString(1)));
                    }
                }
            }
            if (rows.size() <= query.limit()) {
                return new Page<>(rows, null);
            }
            List<ModelVersion> items = rows.subList(0, query.limit());
            return new Page<>(items, query.cursorAfter(items.get(items.size() - 1)));
        });
    }

    /**
     * A recursive CTE over {@code lineage_edges} finds the versions within the depth limit upstream of
     * the start (and the versions that give its code commits their labels); a {@link LineageGraph} of
     * just those versions, in the full graph's order, then walks them, so paths, order and the stage
     * filter are the core's own.
     */
    @Override
    public Optional<List<LineageResult>> upstream(ModelName model, SemVer version, LineageQuery query) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(query, "query");
        return readers.withReader("trace the lineage upstream of " + model + "@" + version, s -> {
            PreparedStatement find = s.named("lineage.find_version_node");
            find.setString(1, model.value());
            find.setBytes(2, PrecedenceKey.of(version));
            long node;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<List<LineageResult>>empty();
                }
                node = rs.getLong(1);
            }
            return Optional.of(slice(s, "lineage.upstream_slice", node, query).upstream(NodeId.version(model, version), query));
        });
    }

    /** As {@link #upstream}, walking the edges backwards from any node. */
    @Override
    public Optional<List<LineageResult>> downstream(NodeId start, LineageQuery query) {
        Objects.requireNonNull(start, "node");
        Objects.requireNonNull(query, "query");
        return readers.withReader("trace the lineage downstream of " + start, s -> {
            PreparedStatement find = s.named("lineage.find_node");
            find.setString(1, start.kind().name());
            find.setString(2, start.id());
            long node;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<List<LineageResult>>empty();
                }
                node = rs.getLong(1);
            }
            return Optional.of(slice(s, "lineage.downstream_slice", node, query).downstream(start, query));
        });
    }

    /** The lineage graph of the versions one slice statement returns, in its order, with their current stages. */
    private LineageGraph slice(Session s, String statement, long startNode, LineageQuery query) throws SQLException {
        PreparedStatement ps = s.named(statement);
        ps.setLong(1, startNode);
        ps.setInt(2, query.maxDepth());
        List<ModelVersion> versions = new ArrayList<>();
        Map<ModelVersion, Stage> stages = new IdentityHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ModelVersion v = versionOf(rs.getString(1));
                versions.add(v);
                stages.put(v, Stage.of(rs.getString(2)));
            }
        }
        return LineageGraph.build(versions, stages::get);
    }

    @Override
    public List<LogEntry> openRequestEntries(ModelName model) {
        Objects.requireNonNull(model, "model");
        return readers.withReader("list the open requests of " + model, s -> {
            long modelId = modelId(s, model);
            if (modelId < 0) {
                return List.<LogEntry>of();
            }
            PreparedStatement ps = s.named("request.entries");
            ps.setLong(1, modelId);
            List<LogEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(EventCodec.fromJson(rs.getString(2)));
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public List<ModelName> modelsWithOpenRequests() {
        return readers.withReader("list the models with open requests", s -> modelNames(s, "request.models"));
    }

    /** The model names {@code statement} selects, in its order. */
    static List<ModelName> modelNames(Session s, String statement) throws SQLException {
        List<ModelName> out = new ArrayList<>();
        try (ResultSet rs = s.named(statement).executeQuery()) {
            while (rs.next()) {
                out.add(modelName(rs.getString(1)));
            }
        }
        return List.copyOf(out);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private Optional<ModelVersion> findOne(String what, String statement, ModelName model, Binder more) {
        Objects.requireNonNull(model, "model");
        return readers.withReader(what, s -> {
            PreparedStatement ps = s.named(statement);
            ps.setString(1, model.value());
            more.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(versionOf(rs.getString(1))) : Optional.<ModelVersion>empty();
            }
        });
    }

    private ModelVersion versionOf(String entryJson) {
        LogEntry entry = EventCodec.fromJson(entryJson);
        if (!(entry.event() instanceof VersionRegistered r)) {
            throw new IntegrityException("Entry " + entry.sequence() + " of " + entry.model() + " in " + file
                    + " is indexed as a registration but holds " + entry.event().getClass().getSimpleName());
        }
        return r.version();
    }

    private static long modelId(Session s, ModelName model) throws SQLException {
        PreparedStatement ps = s.named("model.id");
        ps.setString(1, model.value());
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
