package dev.modelregistry.internal.engine;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.IntegrityException;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.SemVer;
import dev.modelregistry.Sha256;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.VersionRange;

import dev.modelregistry.AccessPolicy;
import dev.modelregistry.AccessPolicyChanged;
import dev.modelregistry.ApprovalRecorded;
import dev.modelregistry.CanonicalEvaluationSetChanged;
import dev.modelregistry.EvaluationRecorded;
import dev.modelregistry.GatePolicyChanged;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCardAttached;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.PromotionRequested;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.RequestClosed;
import dev.modelregistry.StageChanged;
import dev.modelregistry.VersionRegistered;
import dev.modelregistry.Approval;
import dev.modelregistry.GateReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The current state of one model: a fold of its log. {@link #apply} is the only way it changes, one
 * entry at a time, in sequence order.
 *
 * <p>Not thread-safe: it is only touched while holding the owning {@code ModelEntry}'s lock. The
 * serving path reads a snapshot of the current versions taken from it instead.
 */
public final class ModelState {
    private final ModelName model;
    private long lastSequence;
    private Sha256 lastHash = LogEntry.GENESIS;
    private Instant createdAt;
    private final NavigableMap<SemVer, ModelVersion> versions = new TreeMap<>();
    private final List<ModelVersion> registrationOrder = new ArrayList<>();
    private final Map<String, SemVer> tags = new HashMap<>();
    private final Map<SemVer, Stage> stageOf = new HashMap<>();
    /** Versions in each stage in the order they entered it; the last one is the stage's current version. */
    private final Map<Stage, LinkedHashSet<SemVer>> members = new HashMap<>();
    private final List<StageChange> history = new ArrayList<>();
    /** Latest evaluation of each version on each set (by dataset id), and every evaluation in order. */
    private final Map<SemVer, Map<String, Evaluation>> latestEvaluations = new HashMap<>();
    private final List<RecordedEvaluation> evaluations = new ArrayList<>();
    private final Map<SemVer, ModelCard> cards = new HashMap<>();
    private DatasetRef canonicalEvaluationSet;
    private final Map<Long, Request> requests = new java.util.LinkedHashMap<>();
    /** Registry-wide settings; only the system log carries them. */
    private String gatePolicyJson;
    private AccessPolicy accessPolicy;
    private dev.modelregistry.TrustPolicy trustPolicy;
    /** Every recorded signature of each version, in log order. */
    private final Map<SemVer, List<dev.modelregistry.VersionSignature>> signatures = new HashMap<>();

    /** An evaluation with who recorded it and when. */
    public record RecordedEvaluation(SemVer version, Evaluation evaluation, String principal, Instant time, long sequence) {
    }

    /** A promotion request as folded so far. */
    public static final class Request {
        public final long id;
        public final SemVer version;
        public final Stage from;
        public final Stage to;
        public final String requester;
        public final String reason;
        public final Instant openedAt;
        public final List<Approval> approvals = new ArrayList<>();
        public GateReport report;
        public PromotionRequest.Status status = PromotionRequest.Status.OPEN;
        public String closedBecause = "";

        Request(long id, SemVer version, Stage from, Stage to, String requester, String reason, Instant openedAt, GateReport report) {
            this.id = id;
            this.version = version;
            this.from = from;
            this.to = to;
            this.requester = requester;
            this.reason = reason;
            this.openedAt = openedAt;
            this.report = report;
        }
    }

    public ModelState(ModelName model) {
        this.model = model;
    }

    public void apply(LogEntry entry) {
        if (entry.sequence() != lastSequence + 1 || !entry.prevHash().equals(lastHash)) {
            throw new IntegrityException("Log of " + model + " is broken at sequence " + entry.sequence()
                    + ": expected sequence " + (lastSequence + 1) + " linked to hash " + lastHash);
        }
        RegistryEvent event = entry.event();
        if (event instanceof ModelCreated) {
            createdAt = entry.time();
        } else if (event instanceof VersionRegistered r) {
            ModelVersion v = r.version();
            versions.put(v.version(), v);
            registrationOrder.add(v);
            v.tags().forEach(t -> tags.put(t, v.version()));
            stageOf.put(v.version(), Stage.NONE);
        } else if (event instanceof StageChanged c) {
            members.getOrDefault(c.from(), new LinkedHashSet<>()).remove(c.version());
            members.computeIfAbsent(c.to(), s -> new LinkedHashSet<>()).add(c.version());
            stageOf.put(c.version(), c.to());
            history.add(new StageChange(model, entry.sequence(), entry.time(), entry.principal(), entry.reason(),
                    c.version(), c.from(), c.to(), c.kind()));
        } else if (event instanceof EvaluationRecorded r) {
            latestEvaluations.computeIfAbsent(r.version(), v -> new java.util.TreeMap<>()).put(r.evaluation().dataset().id(), r.evaluation());
            evaluations.add(new RecordedEvaluation(r.version(), r.evaluation(), entry.principal(), entry.time(), entry.sequence()));
        } else if (event instanceof ModelCardAttached c) {
            cards.put(c.version(), c.card());
        } else if (event instanceof CanonicalEvaluationSetChanged c) {
            canonicalEvaluationSet = c.dataset();
        } else if (event instanceof PromotionRequested || event instanceof ApprovalRecorded || event instanceof RequestClosed) {
            foldRequest(requests, entry);
        } else if (event instanceof GatePolicyChanged g) {
            gatePolicyJson = g.policy();
        } else if (event instanceof AccessPolicyChanged a) {
            accessPolicy = a.policy();
        } else if (event instanceof dev.modelregistry.VersionSigned s) {
            signatures.computeIfAbsent(s.version(), v -> new ArrayList<>()).add(new dev.modelregistry.VersionSignature(
                    s.keyId(), s.manifest(), s.signature(), entry.principal(), entry.time(), entry.sequence()));
        } else if (event instanceof dev.modelregistry.TrustPolicyChanged t) {
            trustPolicy = t.policy();
        }
        lastSequence = entry.sequence();
        lastHash = entry.hash();
    }

    /**
     * Folds one request entry ({@code PromotionRequested}, {@code ApprovalRecorded},
     * {@code RequestClosed}) into {@code requests}, keyed by the sequence of the entry that opened
     * each. The one statement of how requests fold: a whole log and a store's selection of request
     * entries go through it alike.
     */
    public static void foldRequest(Map<Long, Request> requests, LogEntry entry) {
        RegistryEvent event = entry.event();
        if (event instanceof PromotionRequested r) {
            requests.put(entry.sequence(), new Request(entry.sequence(), r.version(), r.from(), r.to(), entry.principal(),
                    entry.reason(), entry.time(), r.report()));
        } else if (event instanceof ApprovalRecorded a) {
            Request r = requests.get(a.request());
            if (r != null) {
                r.approvals.add(new Approval(entry.principal(), a.roles(), a.approved(), a.comment(), entry.time()));
                if (a.report() != null) {
                    r.report = a.report();
                }
            }
        } else if (event instanceof RequestClosed c) {
            Request r = requests.get(c.request());
            if (r != null) {
                r.status = c.status();
                r.closedBecause = c.why();
            }
        }
    }

    /** The version currently in each of {@code stages}, in the same order. */
    @SuppressWarnings("unchecked")
    public Optional<ModelVersion>[] currentOf(Stage[] stages) {
        Optional<ModelVersion>[] out = new Optional[stages.length];
        for (int i = 0; i < stages.length; i++) {
            out[i] = current(stages[i]);
        }
        return out;
    }

    public ModelName model() {
        return model;
    }

    public long lastSequence() {
        return lastSequence;
    }

    public Sha256 lastHash() {
        return lastHash;
    }

    public boolean exists() {
        return lastSequence > 0;
    }

    public Instant createdAt() {
        return createdAt;
    }

    /** The version currently in {@code stage}: its holder for an exclusive stage, the most recent entrant otherwise. */
    public Optional<ModelVersion> current(Stage stage) {
        LinkedHashSet<SemVer> in = members.get(stage);
        SemVer last = null;
        if (in != null) {
            for (SemVer v : in) {
                last = v;
            }
        }
        return last == null ? Optional.empty() : Optional.of(versions.get(last));
    }

    public Optional<ModelVersion> find(SemVer version) {
        return Optional.ofNullable(versions.get(version));
    }

    public ModelVersion require(SemVer version) {
        ModelVersion v = versions.get(version);
        if (v == null) {
            throw new NotFoundException("Model " + model + " has no version " + version
                    + (versions.isEmpty() ? "" : "; its highest is " + versions.lastKey()));
        }
        return v;
    }

    public Optional<SemVer> versionOfTag(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    public Optional<ModelVersion> highest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** The highest version strictly below {@code version}. */
    public Optional<ModelVersion> below(SemVer version) {
        Map.Entry<SemVer, ModelVersion> e = versions.lowerEntry(version);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    public Optional<ModelVersion> latestRegistered() {
        return registrationOrder.isEmpty() ? Optional.empty()
                : Optional.of(registrationOrder.get(registrationOrder.size() - 1));
    }

    public Optional<ModelVersion> highestIn(VersionRange range) {
        for (ModelVersion v : versions.descendingMap().values()) {
            if (range.contains(v.version())) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public Stage stageOf(SemVer version) {
        require(version);
        return stageOf.get(version);
    }

    /** The versions in {@code stage}, in the order they entered it. */
    public List<ModelVersion> inStage(Stage stage) {
        List<ModelVersion> out = new ArrayList<>();
        for (SemVer v : members.getOrDefault(stage, new LinkedHashSet<>())) {
            out.add(versions.get(v));
        }
        return out;
    }

    public Set<Stage> occupiedStages() {
        Set<Stage> out = new LinkedHashSet<>();
        members.forEach((s, in) -> {
            if (!in.isEmpty()) {
                out.add(s);
            }
        });
        return out;
    }

    public List<ModelVersion> versionsAscending() {
        return List.copyOf(versions.values());
    }

    public int versionCount() {
        return versions.size();
    }

    public Map<String, Evaluation> latestEvaluations(SemVer version) {
        return latestEvaluations.getOrDefault(version, Map.of());
    }

    public List<RecordedEvaluation> evaluations() {
        return Collections.unmodifiableList(evaluations);
    }

    public Optional<ModelCard> card(SemVer version) {
        return Optional.ofNullable(cards.get(version));
    }

    public Optional<DatasetRef> canonicalEvaluationSet() {
        return Optional.ofNullable(canonicalEvaluationSet);
    }

    public Optional<Request> request(long id) {
        return Optional.ofNullable(requests.get(id));
    }

    public List<Request> openRequests() {
        return requests.values().stream().filter(r -> r.status == PromotionRequest.Status.OPEN).toList();
    }

    public Optional<String> gatePolicyJson() {
        return Optional.ofNullable(gatePolicyJson);
    }

    public Optional<dev.modelregistry.TrustPolicy> trustPolicy() {
        return Optional.ofNullable(trustPolicy);
    }

    public List<dev.modelregistry.VersionSignature> signatures(SemVer version) {
        return List.copyOf(signatures.getOrDefault(version, List.of()));
    }

    public Optional<AccessPolicy> accessPolicy() {
        return Optional.ofNullable(accessPolicy);
    }

    public List<StageChange> history() {
        return Collections.unmodifiableList(history);
    }
}
