package dev.modelregistry;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The stages a version can be in and the moves between them. Every version starts in
 * {@link Stage#NONE}. An exclusive stage holds at most one version; promoting another version into
 * it moves the previous holder to the archive stage in the same atomic append.
 *
 * <p>The default lifecycle: {@code NONE → STAGING → PRODUCTION}, any stage {@code → ARCHIVED}, and
 * {@code ARCHIVED → STAGING} to bring a version back for another round; {@code PRODUCTION} is
 * exclusive. Rollbacks do not follow transitions: they reinstate an earlier holder directly.
 *
 * <pre>{@code
 * Lifecycle withCanary = Lifecycle.builder()
 *     .stage("STAGING").exclusiveStage("CANARY").exclusiveStage("PRODUCTION").archiveStage("ARCHIVED")
 *     .transition("NONE", "STAGING").transition("STAGING", "CANARY").transition("CANARY", "PRODUCTION")
 *     .build();
 * }</pre>
 */
public final class Lifecycle {
    private static final Lifecycle DEFAULT = builder()
            .stage("STAGING")
            .exclusiveStage("PRODUCTION")
            .archiveStage("ARCHIVED")
            .transition("NONE", "STAGING")
            .transition("STAGING", "PRODUCTION")
            .transition("ARCHIVED", "STAGING")
            .build();

    private final Set<Stage> stages;
    /** The same stages, for membership tests: an immutable set's lookup inlines, a wrapped one's does not. */
    private final Set<Stage> known;
    private final Set<Stage> exclusive;
    private final Stage archive;
    private final Map<Stage, Set<Stage>> transitions;

    private Lifecycle(Builder b) {
        this.stages = Collections.unmodifiableSet(new LinkedHashSet<>(b.stages));
        this.known = Set.copyOf(b.stages);
        this.exclusive = Set.copyOf(b.exclusive);
        this.archive = b.archive;
        Map<Stage, Set<Stage>> t = new LinkedHashMap<>();
        b.transitions.forEach((from, to) -> t.put(from, Collections.unmodifiableSet(new LinkedHashSet<>(to))));
        this.transitions = Collections.unmodifiableMap(t);
    }

    public static Lifecycle defaults() {
        return DEFAULT;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defined stages, in definition order, without {@link Stage#NONE}. */
    public Set<Stage> stages() {
        return stages;
    }

    public boolean isExclusive(Stage stage) {
        return exclusive.contains(stage);
    }

    /** Where versions go when archived or displaced from an exclusive stage. */
    public Stage archiveStage() {
        return archive;
    }

    public boolean allows(Stage from, Stage to) {
        if (to.equals(archive) && !from.equals(archive)) {
            return true;
        }
        return transitions.getOrDefault(from, Set.of()).contains(to);
    }

    /** The allowed moves out of {@code from}. */
    public Set<Stage> transitionsFrom(Stage from) {
        Set<Stage> out = new LinkedHashSet<>(transitions.getOrDefault(from, Set.of()));
        if (!from.equals(archive)) {
            out.add(archive);
        }
        return Collections.unmodifiableSet(out);
    }

    /** The stage itself when this lifecycle defines it (or it is NONE), else {@link IllegalTransitionException}. */
    public Stage require(Stage stage) {
        if (stage == null) {
            throw new IllegalTransitionException("Stage must not be null");
        }
        if (!known.contains(stage) && !stage.equals(Stage.NONE)) {
            throw new IllegalTransitionException("Unknown stage \"" + stage + "\"; this lifecycle has " + stages);
        }
        return stage;
    }

    @Override
    public String toString() {
        return "Lifecycle" + stages + " exclusive=" + exclusive + " transitions=" + transitions;
    }

    /** Builds a lifecycle; every setting is validated when it is made. */
    public static final class Builder {
        private final Set<Stage> stages = new LinkedHashSet<>();
        private final Set<Stage> exclusive = new LinkedHashSet<>();
        private final Map<Stage, Set<Stage>> transitions = new LinkedHashMap<>();
        private Stage archive;

        private Builder() {
        }

        /** A stage that may hold any number of versions. */
        public Builder stage(String name) {
            add(Stage.of(name));
            return this;
        }

        /** A stage that holds at most one version at a time. */
        public Builder exclusiveStage(String name) {
            Stage s = Stage.of(name);
            add(s);
            exclusive.add(s);
            return this;
        }

        /** The stage archived and displaced versions go to; every other stage may move to it. */
        public Builder archiveStage(String name) {
            if (archive != null) {
                throw new IllegalArgumentException("Archive stage already set to " + archive);
            }
            Stage s = Stage.of(name);
            add(s);
            archive = s;
            return this;
        }

        /** Allows promotion from {@code from} (a defined stage or {@code NONE}) to {@code to}. */
        public Builder transition(String from, String to) {
            Stage f = Stage.of(from);
            Stage t = Stage.of(to);
            if (!f.equals(Stage.NONE) && !stages.contains(f)) {
                throw new IllegalTransitionException("Transition from undefined stage \"" + f + "\"; define it first");
            }
            if (!stages.contains(t)) {
                throw new IllegalTransitionException("Transition to undefined stage \"" + t + "\"; define it first");
            }
            if (f.equals(t)) {
                throw new IllegalTransitionException("Transition from \"" + f + "\" to itself");
            }
            transitions.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(t);
            return this;
        }

        public Lifecycle build() {
            if (archive == null) {
                throw new IllegalTransitionException("A lifecycle needs an archive stage");
            }
            if (exclusive.contains(archive)) {
                throw new IllegalTransitionException("The archive stage \"" + archive + "\" cannot be exclusive");
            }
            return new Lifecycle(this);
        }

        private void add(Stage s) {
            if (s.equals(Stage.NONE)) {
                throw new IllegalTransitionException("\"NONE\" is reserved for versions not yet in any stage");
            }
            if (!stages.add(s)) {
                throw new IllegalTransitionException("Stage \"" + s + "\" defined twice");
            }
        }
    }
}
