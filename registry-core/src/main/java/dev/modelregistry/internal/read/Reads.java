package dev.modelregistry.internal.read;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.Evaluation;
import dev.modelregistry.InvalidNameException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.LogEntry;
import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelSummary;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Names;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Page;
import dev.modelregistry.PromotionRequest;
import dev.modelregistry.RequestId;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.ValidationException;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.VersionSignature;
import dev.modelregistry.internal.engine.ModelLogs;
import dev.modelregistry.internal.engine.ModelState;
import dev.modelregistry.internal.engine.Policies;
import dev.modelregistry.internal.engine.PolicySnapshot;
import dev.modelregistry.internal.engine.RegistrationPlanner;
import dev.modelregistry.internal.engine.RequestViews;
import dev.modelregistry.EventStore;
import dev.modelregistry.spi.SupportsRequestQueries;
import dev.modelregistry.spi.SupportsVersionQueries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every read of the registry. A read is answered from the store's own indexes when the store has
 * them and this registry has not loaded the model (so a freshly opened registry does not fold a
 * long history to answer one question), and from the folded state otherwise.
 *
 * <p>One rule for a model that does not exist: {@code find…} reads return empty, every other read
 * that names a model throws {@link NotFoundException}.
 */
public final class Reads {
    private final EventStore store;
    private final ModelLogs logs;
    private final Policies policies;
    private final Lifecycle lifecycle;
    private final SupportsVersionQueries versionIndex;
    private final SupportsRequestQueries requestIndex;

    public Reads(EventStore store, ModelLogs logs, Policies policies, Lifecycle lifecycle) {
        this.store = store;
        this.logs = logs;
        this.policies = policies;
        this.lifecycle = lifecycle;
        this.versionIndex = store instanceof SupportsVersionQueries q ? q : null;
        this.requestIndex = store instanceof SupportsRequestQueries q ? q : null;
    }

    public List<ModelName> models() {
        return store.models().stream().filter(m -> !m.isSystem()).toList();
    }

    /** Whether the store's version index should answer for {@code name} (it is there and the model is not loaded). */
    private boolean indexAnswers(ModelName name) {
        return versionIndex != null && !logs.isLoaded(name);
    }

    private <T> Optional<T> find(String model, Function<ModelState, Optional<T>> read) {
        return logs.withState(ModelName.of(model), read, Optional::empty);
    }

    private <T> T existing(String model, Function<ModelState, T> read) {
        return logs.withExistingState(ModelName.of(model), read);
    }

    /** The model's name, after checking that it exists (one cheap store call when the model is not loaded). */
    private ModelName requireModel(String model) {
        ModelName name = ModelName.of(model);
        if (!logs.isLoaded(name) && store.lastSequence(name) == 0) {
            throw new NotFoundException("No model named " + name);
        }
        return name;
    }

    public Optional<ModelSummary> findModel(String model) {
        return find(model, s -> {
            Map<Stage, SemVer> current = new LinkedHashMap<>();
            for (Stage stage : s.occupiedStages()) {
                s.current(stage).ifPresent(v -> current.put(stage, v.version()));
            }
            return Optional.of(new ModelSummary(s.model(), s.createdAt(), s.versionCount(),
                    s.highest().map(ModelVersion::version).orElse(null),
                    s.latestRegistered().map(ModelVersion::version).orElse(null), current, s.lastSequence()));
        });
    }

    public Optional<ModelVersion> findVersion(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        ModelName name = ModelName.of(model);
        return indexAnswers(name) ? versionIndex.findVersion(name, version) : find(model, s -> s.find(version));
    }

    public ModelVersion getVersion(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return existing(model, s -> s.require(version));
    }

    public Optional<ModelVersion> findByTag(String model, String tag) {
        Names.check("tag", tag);
        ModelName name = ModelName.of(model);
        return indexAnswers(name) ? versionIndex.findByTag(name, tag) : find(model, s -> s.versionOfTag(tag).flatMap(s::find));
    }

    public Optional<ModelVersion> findHighest(String model, VersionRange range) {
        Objects.requireNonNull(range, "range");
        ModelName name = ModelName.of(model);
        return indexAnswers(name) ? versionIndex.findHighest(name, range) : find(model, s -> s.highestIn(range));
    }

    public Optional<ModelVersion> findLatest(String model) {
        ModelName name = ModelName.of(model);
        return indexAnswers(name) ? versionIndex.findLatest(name) : find(model, ModelState::latestRegistered);
    }

    /**
     * Everything {@code findCurrent} does not answer from the serving view: a change since the last
     * look, an unloaded model, a bad argument. Kept apart so that the serving path stays small
     * enough for the JIT to inline into its callers.
     */
    public Optional<ModelVersion> findCurrentAfterChange(String model, Stage stage) {
        lifecycle.require(stage);
        ModelName name = ModelName.of(model);
        if (indexAnswers(name)) {
            return versionIndex.findCurrent(name, stage);
        }
        return logs.withState(name, s -> s.current(stage), Optional::empty);
    }

    public ModelVersion resolve(String reference) {
        if (reference == null || reference.indexOf('@') < 0) {
            throw new ValidationException("Invalid reference " + Names.quote(reference) + ": expected model@selector, "
                    + "e.g. fraud-detector@production, fraud-detector@1.2.0, fraud-detector@^1.2, fraud-detector@latest");
        }
        int at = reference.indexOf('@');
        String model = reference.substring(0, at);
        String selector = reference.substring(at + 1);
        try {
            ModelName.of(model);
        } catch (InvalidNameException e) {
            // Name the whole reference: "@production" has an empty model name because nothing came before '@'.
            throw new InvalidNameException("Invalid reference " + Names.quote(reference) + ": " + e.getMessage());
        }
        if (selector.isBlank()) {
            // npm reads an empty range as "*": "model@" would silently mean "the highest version".
            throw new ValidationException("Invalid reference " + Names.quote(reference) + ": the selector after '@' is empty");
        }
        Optional<ModelVersion> found;
        if (selector.equalsIgnoreCase("latest")) {
            found = findLatest(model);
        } else if (Names.isValid(selector) && lifecycle.stages().contains(Stage.of(selector))) {
            found = findCurrent(model, Stage.of(selector));
        } else if (RegistrationPlanner.parses(() -> SemVer.parse(selector))) {
            found = findVersion(model, SemVer.parse(selector));
        } else if (RegistrationPlanner.parses(() -> VersionRange.parse(selector))) {
            found = findHighest(model, VersionRange.parse(selector));
        } else if (Names.isValid(selector)) {
            // Tags never read as a version or a range, so what is left and is a valid name is a tag.
            found = findByTag(model, selector);
        } else {
            throw new ValidationException("Invalid reference " + Names.quote(reference) + ": " + Names.quote(selector)
                    + " is not latest, a stage, a tag, a version or a version range");
        }
        return found.orElseThrow(() -> new NotFoundException("Nothing matches " + Names.quote(reference)));
    }

    private Optional<ModelVersion> findCurrent(String model, Stage stage) {
        Optional<ModelVersion> fresh = logs.findCurrentIfFresh(model, stage);
        return fresh != null ? fresh : findCurrentAfterChange(model, stage);
    }

    public Stage stageOf(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return existing(model, s -> s.stageOf(version));
    }

    public List<ModelVersion> versionsIn(String model, Stage stage) {
        lifecycle.require(stage);
        return existing(model, s -> s.inStage(stage));
    }

    public Page<ModelVersion> search(String model, VersionQuery query) {
        Objects.requireNonNull(query, "query");
        query.stage().ifPresent(lifecycle::require);
        ModelName name = requireModel(model);
        if (indexAnswers(name)) {
            return versionIndex.search(name, query);
        }
        return existing(model, s -> query.apply(s.versionsAscending(), s::stageOf));
    }

    public List<StageChange> stageHistory(String model) {
        return existing(model, s -> List.copyOf(s.history()));
    }

    public Optional<ModelVersion> findCurrentAt(String model, Stage stage, Instant at) {
        lifecycle.require(stage);
        Objects.requireNonNull(at, "at");
        return find(model, s -> {
            LinkedHashSet<SemVer> in = new LinkedHashSet<>();
            for (StageChange c : s.history()) {
                if (c.time().isAfter(at)) {
                    break;
                }
                if (c.from().equals(stage)) {
                    in.remove(c.version());
                }
                if (c.to().equals(stage)) {
                    in.add(c.version());
                }
            }
            SemVer last = null;
            for (SemVer v : in) {
                last = v;
            }
            return last == null ? Optional.empty() : s.find(last);
        });
    }

    // ---------------------------------------------------------------- evaluations, cards, signatures

    public List<Evaluation> evaluations(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return existing(model, s -> {
            s.require(version);
            return s.evaluations().stream().filter(e -> e.version().equals(version)).map(ModelState.RecordedEvaluation::evaluation).toList();
        });
    }

    public Optional<ModelCard> findModelCard(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return find(model, s -> s.card(version));
    }

    public Optional<DatasetRef> findCanonicalEvaluationSet(String model) {
        return find(model, ModelState::canonicalEvaluationSet);
    }

    public List<VersionSignature> signatures(String model, SemVer version) {
        Objects.requireNonNull(version, "version");
        return existing(model, s -> {
            s.require(version);
            return s.signatures(version);
        });
    }

    /** Every version of the model in ascending order; empty for a model without a log. */
    public List<ModelVersion> versionsOf(ModelName name) {
        return logs.withState(name, ModelState::versionsAscending, List::of);
    }

    // ---------------------------------------------------------------- requests

    public Optional<PromotionRequest> findRequest(RequestId id) {
        Objects.requireNonNull(id, "id");
        PolicySnapshot p = policies.snapshot();
        return logs.withState(id.model(), s -> s.request(id.sequence()).map(r -> RequestViews.view(s.model(), r, p)), Optional::empty);
    }

    public List<PromotionRequest> openRequests(String model) {
        ModelName name = requireModel(model);
        PolicySnapshot p = policies.snapshot();
        if (requestIndex != null && !logs.isLoaded(name)) {
            return RequestViews.fold(name, requestIndex.openRequestEntries(name)).stream()
                    .map(r -> RequestViews.view(name, r, p)).toList();
        }
        return logs.withExistingState(name, s -> s.openRequests().stream().map(r -> RequestViews.view(s.model(), r, p)).toList());
    }

    public List<PromotionRequest> openRequestsAwaiting(String role) {
        Names.check("role", role);
        List<PromotionRequest> out = new ArrayList<>();
        for (ModelName m : requestIndex != null ? requestIndex.modelsWithOpenRequests() : models()) {
            for (PromotionRequest r : openRequests(m.value())) {
                if (r.awaitingRoles().contains(role)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the log

    public List<LogEntry> log(String model, long fromSequence) {
        if (fromSequence < 1) {
            throw new ValidationException("Log sequence numbers start at 1, got " + fromSequence);
        }
        ModelName name = ModelName.of(model);
        List<LogEntry> log = store.read(name, fromSequence);
        if (log.isEmpty() && store.lastSequence(name) == 0) {
            throw new NotFoundException("No model named " + name);
        }
        return log;
    }
}
