package dev.modelregistry.internal.verify;

import dev.modelregistry.ArtifactRef;
import dev.modelregistry.AuditQuery;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Sha256;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.internal.artifacts.Artifacts;
import dev.modelregistry.internal.read.Reads;
import dev.modelregistry.EventStore;
import dev.modelregistry.spi.SupportsStorageAudit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The audit side: verification of every log (and of artifact bytes), audit queries and exports. */
public final class Verifier {
    private final EventStore store;
    private final Reads reads;
    private final Artifacts artifacts;

    public Verifier(EventStore store, Reads reads, Artifacts artifacts) {
        this.store = store;
        this.reads = reads;
        this.artifacts = artifacts;
    }

    public VerificationReport verify() {
        List<VerificationReport.LogResult> results = new ArrayList<>();
        for (ModelName name : store.models()) {
            results.add(verifyLog(name));
        }
        return new VerificationReport(results);
    }

    public VerificationReport verify(String model) {
        ModelName name = ModelName.of(model);
        if (store.lastSequence(name) == 0
                && (!(store instanceof SupportsStorageAudit audit) || audit.storedEntries(name).isEmpty())) {
            throw new NotFoundException("No model named " + name);
        }
        return new VerificationReport(List.of(verifyLog(name)));
    }

    /** The log as stored when the backend can show it (every copy, and its own record of the end), else as read. */
    private VerificationReport.LogResult verifyLog(ModelName name) {
        try {
            if (store instanceof SupportsStorageAudit audit) {
                // The recorded end first: a log only grows, so the entries read after it reach at least
                // that far even while others append, and a write between the two reads is never taken
                // for a truncation.
                Optional<SupportsStorageAudit.RecordedHead> head = audit.recordedHead(name);
                return LogAudit.ofStorage(name, audit.storedEntries(name), head);
            }
            return LogAudit.ofEntries(name, store.read(name, 1));
        } catch (IntegrityException e) {
            return LogAudit.unreadable(name, e);
        }
    }

    public VerificationReport verifyWithArtifacts() {
        VerificationReport logs = verify();
        List<VerificationReport.ArtifactProblem> problems = new ArrayList<>();
        // Content is addressed by digest: read each stored object once, whatever number of versions refers to it.
        Map<Sha256, String> checked = new HashMap<>();
        for (VerificationReport.LogResult log : logs.logs()) {
            if (log.model().isSystem() || !log.intact()) {
                continue;
            }
            for (ModelVersion v : reads.versionsOf(log.model())) {
                for (ArtifactRef ref : v.artifacts()) {
                    String problem = checked.computeIfAbsent(ref.sha256(), d -> artifacts.check(ref));
                    if (!problem.isEmpty()) {
                        problems.add(new VerificationReport.ArtifactProblem(v.model(), v.version(), ref.name(), ref.sha256(), problem));
                    }
                }
            }
        }
        return new VerificationReport(logs.logs(), problems);
    }

    public List<LogEntry> audit(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        List<ModelName> logs = query.model().map(List::of).orElseGet(store::models);
        List<LogEntry> out = new ArrayList<>();
        for (ModelName log : logs) {
            for (LogEntry e : store.read(log, 1)) {
                if (query.matches(e)) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparing(LogEntry::time).thenComparing(LogEntry::model).thenComparingLong(LogEntry::sequence));
        return out;
    }
}
