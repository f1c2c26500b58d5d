package dev.modelregistry.internal.engine;

import dev.modelregistry.GateContext;
import dev.modelregistry.GateSpec;
import java.util.List;

/** Gates to evaluate against one context: what a {@link Command} asks the commit loop to run outside the lock. */
public record GateRun(List<GateSpec> specs, GateContext context) {
    public GateRun {
        specs = List.copyOf(specs);
    }
}
