package dev.modelregistry.serving;

import dev.modelregistry.ArtifactRef;
import dev.modelregistry.ModelVersion;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loaded model together with the registry version it was loaded from: what a
 * {@link ModelHandle} serves at one moment. Immutable as seen from outside; one instance exists per
 * load, so {@link ModelHandle#current()} hands out the same object until the next swap.
 *
 * @param <M> the model type the loader produces
 */
public final class Serving<M> {
    private final M model;
    private final ModelVersion version;
    private final ArtifactRef artifact;
    /** The handle's own reference (until it retires this) plus one per open lease; 0 means closed. */
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean handleReferenceDropped = new AtomicBoolean();
    private final Runnable onLastRelease;

    Serving(M model, ModelVersion version, ArtifactRef artifact, Runnable onLastRelease) {
        this.model = model;
        this.version = version;
        this.artifact = artifact;
        this.onLastRelease = onLastRelease;
    }

    /** The loaded model. */
    public M model() {
        return model;
    }

    /** The registry version it was loaded from. */
    public ModelVersion version() {
        return version;
    }

    /** The artifact it was loaded from (verified against this digest). */
    public ArtifactRef artifact() {
        return artifact;
    }

    @Override
    public String toString() {
        return "Serving[" + version + ", " + artifact.name() + " " + artifact.sha256() + "]";
    }

    /** Adds a lease unless the model was already released for good. */
    boolean tryRetain() {
        while (true) {
            int r = references.get();
            if (r == 0) {
                return false;
            }
            if (references.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (references.decrementAndGet() == 0) {
            onLastRelease.run();
        }
    }

    /** Drops the handle's own reference, once: after this the model closes when its last lease ends. */
    void retire() {
        if (handleReferenceDropped.compareAndSet(false, true)) {
            release();
        }
    }

    boolean isReleased() {
        return references.get() == 0;
    }
}
