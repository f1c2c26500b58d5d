package dev.modelregistry.serving;

import dev.modelregistry.ModelVersion;

/**
 * A hold on the model a {@link ModelHandle} served when the lease was taken: until it is closed
 * the model is not closed, even if the handle has swapped to another version meanwhile. Use one per
 * call, with try-with-resources, on one thread:
 *
 * <pre>{@code
 * try (Lease<Scorer> lease = handle.acquire()) {
 *     return lease.model().score(features);
 * }
 * }</pre>
 *
 * Closing more than once has no further effect.
 *
 * @param <M> the model type
 */
public final class Lease<M> implements AutoCloseable {
    private final Serving<M> serving;
    private boolean closed;

    Lease(Serving<M> serving) {
        this.serving = serving;
    }

    /** The model, open until this lease is closed. */
    public M model() {
        return serving.model();
    }

    /** The registry version of the model. */
    public ModelVersion version() {
        return serving.version();
    }

    /** The model and version together. */
    public Serving<M> serving() {
        return serving;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            serving.release();
        }
    }
}
