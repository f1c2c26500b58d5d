package dev.modelregistry.internal.engine;

import dev.modelregistry.LogEntry;
import dev.modelregistry.RegistryEvent;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a planner decided: the events to append (none for a write that turns out to change nothing),
 * a check of the sealed entries before they are committed (sizes are measured on the JSON that was
 * hashed, so nothing is serialised twice), and how the committed entries become the caller's
 * {@link Outcome}.
 */
public record Plan<R>(List<RegistryEvent> events, Consumer<List<LogEntry>> check, Function<List<LogEntry>, Outcome<R>> outcome) {
    public Plan {
        events = List.copyOf(events);
    }

    public Plan(List<RegistryEvent> events, Function<List<LogEntry>, Outcome<R>> outcome) {
        this(events, sealed -> { }, outcome);
    }

    /** A plan that appends {@code events} and then answers {@code result} of the sealed entries. */
    public static <R> Plan<R> applied(List<RegistryEvent> events, Function<List<LogEntry>, R> result) {
        return new Plan<>(events, sealed -> new Outcome.Applied<>(result.apply(sealed)));
    }

    /** A plan that appends {@code events} and answers nothing. */
    public static Plan<Void> applied(RegistryEvent event) {
        return new Plan<>(List.of(event), sealed -> new Outcome.Applied<>(null));
    }
}
