package dev.modelregistry.sqlite;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.SemVer;
import dev.modelregistry.StorageException;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.EventCodec;
import dev.modelregistry.LogEntry;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.LineageGraph;
import dev.modelregistry.LineageQuery;
import dev.modelregistry.LineageResult;
import dev.modelregistry.NodeId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Keeps the query tables in step with one model's log, inside the transaction that appends the
 * entries (or, for the tables a migration adds, inside the migration's transaction): the tables are
 * a fold of the log, written by the same code whichever way the entries arrived.
 */
final class Projection {
    private static final LineageQuery DIRECT_INPUTS = LineageQuery.maxDepth(1);

    private final Session s;
    private final long modelId;
    private final ModelName model;

    Projection(Session s, long modelId, ModelName model) {
        this.s = s;
        this.modelId = modelId;
        this.model = model;
    }

    /** Every query table, for an entry being appended. */
    void apply(LogEntry entry) throws SQLException {
        RegistryEvent event = entry.event();
        if (event instanceof VersionRegistered r) {
            long versionId = registered(entry.sequence(), r.version());
            lineage(versionId, r.version());
        } else if (event instanceof StageChanged c) {
            moved(entry.sequence(), c);
        } else {
            requests(entry);
        }
        // ModelCreated: the models row exists from the first append on.
    }

    /**
     * Fills the tables schema version 2 added ({@code lineage_*}, {@code open_requests},
     * {@code request_decisions}) from every entry stored before it, in log order, in the migration's
     * transaction.
     */
    static void backfillSchema2(Session s) throws SQLException {
        Projection current = null;
        try (ResultSet rs = s.named("backfill.schema2_entries").executeQuery()) {
            while (rs.next()) {
                long modelId = rs.getLong(1);
                if (current == null || current.modelId != modelId) {
                    String name = rs.getString(2);
                    current = new Projection(s, modelId, IndexQueries.modelName(name));
                }
                LogEntry entry = EventCodec.fromJson(rs.getString(3));
                if (entry.event() instanceof VersionRegistered r) {
                    current.lineage(current.versionId(entry.sequence(), r.version().version()), r.version());
                } else {
                    current.requests(entry);
                }
            }
        }
    }

    private long registered(long sequence, ModelVersion v) throws SQLException {
        SemVer sv = v.version();
        PreparedStatement ps = s.named("version.insert");
        ps.setLong(1, modelId);
        ps.setString(2, sv.toString());
        ps.setInt(3, sv.major());
        ps.setInt(4, sv.minor());
        ps.setInt(5, sv.patch());
        ps.setString(6, String.join(".", sv.preRelease()));
        ps.setString(7, String.join(".", sv.build()));
        ps.setBytes(8, PrecedenceKey.of(sv));
        ps.setLong(9, sequence);
        ps.setLong(10, v.createdAt().getEpochSecond());
        ps.setInt(11, v.createdAt().getNano());
        long versionId;
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            versionId = rs.getLong(1);
        }
        if (!v.tags().isEmpty()) {
            PreparedStatement tag = s.named("tag.insert");
            for (String t : v.tags()) {
                tag.setLong(1, modelId);
                tag.setString(2, t);
                tag.setLong(3, versionId);
                tag.addBatch();
            }
            tag.executeBatch();
        }
        if (!v.labels().isEmpty()) {
            PreparedStatement label = s.named("label.insert");
            for (Map.Entry<String, String> l : v.labels().entrySet()) {
                label.setLong(1, versionId);
                label.setString(2, l.getKey());
                label.setString(3, l.getValue());
                label.addBatch();
            }
            label.executeBatch();
        }
        if (!v.metrics().isEmpty()) {
            PreparedStatement metric = s.named("metric.insert");
            for (Map.Entry<String, Double> m : v.metrics().entrySet()) {
                metric.setLong(1, versionId);
                metric.setString(2, m.getKey());
                metric.setDouble(3, m.getValue());
                metric.setLong(4, MetricKey.of(m.getValue()));
                metric.addBatch();
            }
            metric.executeBatch();
        }
        return versionId;
    }

    /**
     * The version's node and one edge to each node it used directly. Which nodes those are is decided
     * by the core's own {@link LineageGraph} (of this one version), so the index can never disagree
     * with the graph about ids.
     */
    private void lineage(long versionId, ModelVersion v) throws SQLException {
        NodeId self = NodeId.version(v.model(), v.version());
        PreparedStatement own = s.named("lineage.version_node");
        own.setString(1, self.id());
        own.setLong(2, versionId);
        long selfNode = single(own);
        List<LineageResult> inputs = LineageGraph.build(List.of(v), version -> null).upstream(self, DIRECT_INPUTS);
        if (inputs.isEmpty()) {
            return;
        }
        PreparedStatement edge = s.named("lineage.edge");
        for (LineageResult input : inputs) {
            PreparedStatement node = s.named("lineage.node");
            node.setString(1, input.id().kind().name());
            node.setString(2, input.id().id());
            long inputNode = single(node);
            edge.setLong(1, selfNode);
            edge.setLong(2, inputNode);
            edge.executeUpdate();
        }
    }

    private void moved(long sequence, StageChanged c) throws SQLException {
        long versionId = versionId(sequence, c.version());
        PreparedStatement move = s.named("version.move");
        move.setString(1, c.to().name());
        move.setLong(2, sequence);
        move.setLong(3, versionId);
        move.executeUpdate();
        PreparedStatement history = s.named("stage_history.insert");
        history.setLong(1, modelId);
        history.setLong(2, sequence);
        history.setLong(3, versionId);
        history.setString(4, c.from().name());
        history.setString(5, c.to().name());
        history.setString(6, c.kind().name());
        history.executeUpdate();
    }

    /** Open requests: opened by PromotionRequested, decided on by ApprovalRecorded, ended by RequestClosed. */
    private void requests(LogEntry entry) throws SQLException {
        RegistryEvent event = entry.event();
        if (event instanceof PromotionRequested r) {
            PreparedStatement open = s.named("request.open");
            open.setLong(1, modelId);
            open.setLong(2, entry.sequence());
            open.setLong(3, versionId(entry.sequence(), r.version()));
            open.setString(4, r.to().name());
            open.executeUpdate();
        } else if (event instanceof ApprovalRecorded a) {
            PreparedStatement decision = s.named("request.decision");
            decision.setLong(1, entry.sequence());
            decision.setLong(2, modelId);
            decision.setLong(3, a.request());
            decision.executeUpdate();
        } else if (event instanceof RequestClosed c) {
            for (String statement : List.of("request.forget_decisions", "request.close")) {
                PreparedStatement ps = s.named(statement);
                ps.setLong(1, modelId);
                ps.setLong(2, c.request());
                ps.executeUpdate();
            }
        }
    }

    private long versionId(long sequence, SemVer version) throws SQLException {
        PreparedStatement find = s.named("version.id");
        find.setLong(1, modelId);
        find.setBytes(2, PrecedenceKey.of(version));
        try (ResultSet rs = find.executeQuery()) {
            if (!rs.next()) {
                throw new StorageException("The entry at sequence " + sequence + " of " + model + " refers to version " + version
                        + ", which the model does not have; nothing was written");
            }
            return rs.getLong(1);
        }
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
