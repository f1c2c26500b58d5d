package dev.modelregistry.internal.engine;

import dev.modelregistry.ModelVersion;
import dev.modelregistry.Stage;
import java.util.Optional;

/**
 * What the serving path reads, with one volatile read: the store change token the state was
 * caught up at, and the current version of every stage as parallel arrays with precomputed
 * {@code Optional}s, so answering is a scan of a handful of references with no hashing and no
 * allocation. Lifecycles have a few stages, so the scan beats any map.
 */
final class ServingView {
    static final ServingView NONE = new ServingView(Long.MIN_VALUE, new Stage[0], new Optional<?>[0]);

    final long token;
    /** Stage, current version, stage, current version…: one array, so a lookup touches one object. */
    private final Object[] slots;

    ServingView(long token, Stage[] stages, Optional<?>[] current) {
        this.token = token;
        this.slots = new Object[stages.length * 2];
        for (int i = 0; i < stages.length; i++) {
            slots[2 * i] = stages[i];
            slots[2 * i + 1] = current[i];
        }
    }

    /** The current version of {@code stage}, or null when the stage is not in the view. */
    @SuppressWarnings("unchecked")
    Optional<ModelVersion> find(Stage stage) {
        Object[] s = slots;
        for (int i = 0; i < s.length; i += 2) {
            if (s[i] == stage) {
                return (Optional<ModelVersion>) s[i + 1];
            }
        }
        return findEqual(stage);
    }

    /** The rare case of an equal but distinct {@code Stage} instance, kept out of the loop above. */
    @SuppressWarnings("unchecked")
    private Optional<ModelVersion> findEqual(Stage stage) {
        if (stage == null) {
            return null;
        }
        Object[] s = slots;
        for (int i = 0; i < s.length; i += 2) {
            if (((Stage) s[i]).name().equals(stage.name())) {
                return (Optional<ModelVersion>) s[i + 1];
            }
        }
        return null;
    }
}
