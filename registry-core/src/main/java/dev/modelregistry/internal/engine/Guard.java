package dev.modelregistry.internal.engine;

import dev.modelregistry.AccessDenied;
import dev.modelregistry.AccessDeniedException;
import dev.modelregistry.Action;
import dev.modelregistry.ModelName;
import dev.modelregistry.Principal;
import dev.modelregistry.Stage;
import dev.modelregistry.ValidationException;
import dev.modelregistry.EventStore;

/**
 * Access control at the door of every write: a refusal is itself written, to the model's log when
 * the model exists and to the system log otherwise, before the caller gets its exception.
 */
public final class Guard {
    private final ModelLogs logs;
    private final EventStore store;

    public Guard(ModelLogs logs, EventStore store) {
        this.logs = logs;
        this.store = store;
    }

    public static void requirePrincipal(Principal by) {
        if (by == null) {
            throw new ValidationException("Every change needs a principal; got null");
        }
    }

    /** Refuses (recording the refusal) unless {@code policies} let {@code by} do {@code action}. */
    public void authorize(PolicySnapshot policies, Principal by, Action action, ModelName model, Stage stage) {
        if (!policies.allows(by, action, model, stage)) {
            throw deny(policies, by, action, model, stage);
        }
    }

    /** Records a denied attempt and returns the exception to throw. */
    public AccessDeniedException deny(PolicySnapshot policies, Principal by, Action action, ModelName model, Stage stage) {
        String target = (model == null ? "the registry" : model.value()) + (stage == null ? "" : " into " + stage);
        ModelName log = model != null && store.lastSequence(model) > 0 ? model : ModelName.SYSTEM;
        logs.write(log, by, "access denied", policies, (state, p, now, verdicts) -> Plan.applied(new AccessDenied(action, target, by.roles())));
        return new AccessDeniedException(by.name() + " (roles " + by.roles() + ") may not " + action + " " + target,
                by.name(), action, target);
    }
}
