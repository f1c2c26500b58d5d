package dev.modelregistry.internal.engine;

import dev.modelregistry.Lifecycle;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.Stage;
import dev.modelregistry.EventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The models this registry has loaded, each a {@link ModelLog}, and the serving index over them.
 * A log is loaded on first use and kept; reads catch it up only when the store's change token has
 * moved since its serving view was published.
 */
public final class ModelLogs {
    private final EventStore store;
    private final ModelLog.Context context;
    /** Keyed by the raw name so that the serving path needs no {@link ModelName} allocation. */
    private final ConcurrentMap<String, ModelLog> logs = new ConcurrentHashMap<>();
    /** The logs whose serving view has been published: what {@link #findCurrent} looks up. */
    private final ServingIndex serving = new ServingIndex();
    /** Every stage of the lifecycle and NONE: the stages the serving view has an answer for. */
    private final Stage[] servedStages;

    public ModelLogs(ModelLog.Context context, Lifecycle lifecycle) {
        this.store = context.store();
        this.context = context;
        List<Stage> stages = new ArrayList<>(lifecycle.stages());
        stages.add(Stage.NONE);
        this.servedStages = stages.toArray(Stage[]::new);
    }

    /** Whether this registry holds the model's folded state (else the store's indexes answer faster). */
    public boolean isLoaded(ModelName name) {
        return logs.containsKey(name.value());
    }

    /** The up-to-date log of a model that has one, or null. */
    public ModelLog load(ModelName name) {
        long token = store.changeToken();
        ModelLog log = logs.get(name.value());
        if (log == null) {
            if (store.lastSequence(name) == 0) {
                return null;
            }
            log = logs.computeIfAbsent(name.value(), k -> new ModelLog(name, context));
        }
        if (log.view.token != token) {
            log.refreshView(token, servedStages);
            if (serving.get(log.key) != log) {
                serving.put(log);
            }
        }
        return log.exists() ? log : null;
    }

    /** Runs {@code read} on the model's state, or {@code missing} when the model has no log. */
    public <T> T withState(ModelName name, Function<ModelState, T> read, Supplier<T> missing) {
        ModelLog log = load(name);
        return log == null ? missing.get() : log.read(read);
    }

    /** Runs {@code read} on the state of a model that must exist. */
    public <T> T withExistingState(ModelName name, Function<ModelState, T> read) {
        return withState(name, read, () -> {
            throw new NotFoundException("No model named " + name);
        });
    }

    /** Writes to a model's log (which a first write creates); see {@link ModelLog#write}. */
    public <R> Outcome<R> write(ModelName name, Principal by, String reason, PolicySnapshot policies, Command<R> command) {
        return withLog(name, log -> log.write(by, reason, policies, command));
    }

    /**
     * Plans {@code command} against the model's current state and checks the sealed entries, without
     * committing: refuses early what the write would refuse (a registration, before its artifacts
     * are stored).
     */
    public <R> void dryRun(ModelName name, Principal by, String reason, PolicySnapshot policies, Command<R> command) {
        withLog(name, log -> {
            log.dryRun(by, reason, policies, command);
            return null;
        });
    }

    /** Runs {@code action} on the model's log, created if needed and dropped again when the action left it empty. */
    private <T> T withLog(ModelName name, Function<ModelLog, T> action) {
        ModelLog log = logs.computeIfAbsent(name.value(), k -> new ModelLog(name, context));
        try {
            return action.apply(log);
        } finally {
            if (!log.exists()) {
                logs.remove(name.value(), log);
            }
        }
    }

    /**
     * The serving path: one probe of the serving index, one volatile read, the store's token, a short
     * scan. Anything else (a change since, an unknown or null stage, an unloaded model, a null name)
     * returns null, and the caller takes the slow path, which validates.
     */
    public Optional<ModelVersion> findCurrentIfFresh(String model, Stage stage) {
        ModelLog log = serving.get(model);
        if (log != null) {
            ServingView view = log.view;
            if (view.token == store.changeToken()) {
                return view.find(stage);
            }
        }
        return null;
    }
}
