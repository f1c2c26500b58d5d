package dev.modelregistry;

import dev.modelregistry.event.LogEntry;
import dev.modelregistry.event.ModelCreated;
import dev.modelregistry.event.RegistryEvent;
import dev.modelregistry.event.StageChanged;
import dev.modelregistry.event.VersionRegistered;
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
 * <p>Not thread-safe except for {@link #current(Stage)}, which reads an immutable map published
 * through a volatile field so that resolving a stage never takes a lock or allocates. Everything else
 * is called while holding the owning {@code ModelEntry}'s lock.
 */
final class ModelState {
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
    private volatile Map<Stage, Optional<ModelVersion>> currentByStage = Map.of();

    ModelState(ModelName model) {
        this.model = model;
    }

    void apply(LogEntry entry) {
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
            publishCurrent();
        }
        lastSequence = entry.sequence();
        lastHash = entry.hash();
    }

    private void publishCurrent() {
        Map<Stage, Optional<ModelVersion>> next = new HashMap<>();
        members.forEach((stage, in) -> {
            SemVer last = null;
            for (SemVer v : in) {
                last = v;
            }
            next.put(stage, last == null ? Optional.empty() : Optional.of(versions.get(last)));
        });
        currentByStage = Map.copyOf(next);
    }

    ModelName model() {
        return model;
    }

    long lastSequence() {
        return lastSequence;
    }

    Sha256 lastHash() {
        return lastHash;
    }

    boolean exists() {
        return lastSequence > 0;
    }

    Instant createdAt() {
        return createdAt;
    }

    /**
     * The version currently in {@code stage}: its holder for an exclusive stage, the most recent
     * entrant otherwise. Lock-free and allocation-free: the returned Optional is precomputed.
     */
    Optional<ModelVersion> current(Stage stage) {
        Optional<ModelVersion> v = currentByStage.get(stage);
        return v == null ? Optional.empty() : v;
    }

    Optional<ModelVersion> find(SemVer version) {
        return Optional.ofNullable(versions.get(version));
    }

    ModelVersion require(SemVer version) {
        ModelVersion v = versions.get(version);
        if (v == null) {
            throw new NotFoundException("Model " + model + " has no version " + version
                    + (versions.isEmpty() ? "" : "; its highest is " + versions.lastKey()));
        }
        return v;
    }

    Optional<SemVer> versionOfTag(String tag) {
        return Optional.ofNullable(tags.get(tag));
    }

    Optional<ModelVersion> highest() {
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.lastEntry().getValue());
    }

    /** The highest version strictly below {@code version}. */
    Optional<ModelVersion> below(SemVer version) {
        Map.Entry<SemVer, ModelVersion> e = versions.lowerEntry(version);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    Optional<ModelVersion> latestRegistered() {
        return registrationOrder.isEmpty() ? Optional.empty()
                : Optional.of(registrationOrder.get(registrationOrder.size() - 1));
    }

    Optional<ModelVersion> highestIn(VersionRange range) {
        for (ModelVersion v : versions.descendingMap().values()) {
            if (range.contains(v.version())) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    Stage stageOf(SemVer version) {
        require(version);
        return stageOf.get(version);
    }

    /** The versions in {@code stage}, in the order they entered it. */
    List<ModelVersion> inStage(Stage stage) {
        List<ModelVersion> out = new ArrayList<>();
        for (SemVer v : members.getOrDefault(stage, new LinkedHashSet<>())) {
            out.add(versions.get(v));
        }
        return out;
    }

    Set<Stage> occupiedStages() {
        Set<Stage> out = new LinkedHashSet<>();
        members.forEach((s, in) -> {
            if (!in.isEmpty()) {
                out.add(s);
            }
        });
        return out;
    }

    List<ModelVersion> versionsAscending() {
        return List.copyOf(versions.values());
    }

    int versionCount() {
        return versions.size();
    }

    List<StageChange> history() {
        return Collections.unmodifiableList(history);
    }
}
