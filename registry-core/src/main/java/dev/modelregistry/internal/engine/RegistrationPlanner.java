package dev.modelregistry.internal.engine;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.ArtifactRef;
import dev.modelregistry.BreakingChangeException;
import dev.modelregistry.Bump;
import dev.modelregistry.InvalidNameException;
import dev.modelregistry.InvalidVersionException;
import dev.modelregistry.Lifecycle;
import dev.modelregistry.Limits;
import dev.modelregistry.LogEntry;
import dev.modelregistry.MetadataTooLargeException;
import dev.modelregistry.ModelCardAttached;
import dev.modelregistry.ModelCreated;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Names;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.SemVer;
import dev.modelregistry.Signature;
import dev.modelregistry.Stage;
import dev.modelregistry.VersionRange;
import dev.modelregistry.VersionRegistered;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Plans a registration: the version it gets, the checks on tags and signature, the events. Pure. */
public final class RegistrationPlanner {
    private RegistrationPlanner() {
    }

    /**
     * The events that register {@code r} as the next version of {@code state}'s model, by {@code by},
     * with its artifacts already stored as {@code stored}.
     */
    public static Plan<ModelVersion> plan(ModelState state, Registration r, Principal by, Instant now, List<ArtifactRef> stored) {
        SemVer version = chooseVersion(state, r);
        for (String tag : r.tags()) {
            Optional<SemVer> holder = state.versionOfTag(tag);
            if (holder.isPresent()) {
                throw new AlreadyExistsException("Tag " + Names.quote(tag) + " already names " + state.model() + "@" + holder.get());
            }
        }
        ModelVersion v = r.toVersion(version, by.name(), now, stored);
        List<RegistryEvent> planned = new ArrayList<>(3);
        if (!state.exists()) {
            planned.add(new ModelCreated(state.model()));
        }
        planned.add(new VersionRegistered(v));
        r.modelCard().ifPresent(card -> planned.add(new ModelCardAttached(version, card)));
        return new Plan<>(planned, sealed -> checkSize(v, sealed), sealed -> new Outcome.Applied<>(v));
    }

    /**
     * Refuses a version record over {@link Limits#MAX_VERSION_RECORD_BYTES}, measured on the JSON
     * that was sealed: the event comes first in an entry's canonical JSON ({@code {"event":…,"hash":…}})
     * and the top-level {@code ,"hash":"} is the last one in the text, since quotes inside the string
     * fields after it are escaped.
     */
    private static void checkSize(ModelVersion v, List<LogEntry> sealed) {
        for (LogEntry e : sealed) {
            if (e.event() instanceof VersionRegistered) {
                String json = e.toJson();
                String event = json.substring("{\"event\":".length(), json.lastIndexOf(",\"hash\":\""));
                // A char is at most 3 UTF-8 bytes (a surrogate pair 4 for 2 chars): count exactly only near the limit.
                int size = event.length() * 3 <= Limits.MAX_VERSION_RECORD_BYTES ? event.length()
                        : event.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                if (size > Limits.MAX_VERSION_RECORD_BYTES) {
                    throw new MetadataTooLargeException("Version record of " + v + " takes " + size
                            + " bytes as JSON; the limit is " + Limits.MAX_VERSION_RECORD_BYTES);
                }
            }
        }
    }

    /**
     * The version a registration gets: the explicit one, or the bump applied to the highest existing
     * version ({@link Bump#AUTO}: the bump the signature change requires; the first version of a
     * model under AUTO is 1.0.0). Either way the step from the version below must cover what the
     * signature change requires.
     */
    static SemVer chooseVersion(ModelState state, Registration r) {
        Optional<SemVer> explicit = r.version();
        SemVer chosen;
        Optional<ModelVersion> base;
        if (explicit.isPresent()) {
            chosen = explicit.get();
            Optional<ModelVersion> same = state.find(chosen);
            if (same.isPresent()) {
                throw new AlreadyExistsException("Model " + state.model() + " already has version " + same.get().version()
                        + (chosen.build().equals(same.get().version().build()) ? "" : " (build metadata is not part of a version's identity)"));
            }
            base = state.below(chosen);
        } else {
            base = state.highest();
            Signature.Change change = base.map(b -> Signature.compare(b.signature(), r.signature()))
                    .orElseGet(() -> Signature.compare(Signature.UNDECLARED, Signature.UNDECLARED));
            Bump bump = r.bump() == Bump.AUTO ? change.requiredBump() : r.bump();
            if (base.isEmpty()) {
                chosen = r.bump() == Bump.AUTO ? SemVer.of(1, 0, 0) : bump.apply(SemVer.of(0, 0, 0));
            } else {
                chosen = bump.apply(base.get().version());
            }
        }
        if (base.isPresent()) {
            Signature.Change change = Signature.compare(base.get().signature(), r.signature());
            Bump step = stepBetween(base.get().version(), chosen);
            if (!step.covers(change.requiredBump())) {
                throw new BreakingChangeException("Version " + chosen + " of " + state.model() + " is a " + step
                        + " step from " + base.get().version() + ", but the signature change needs " + change.requiredBump()
                        + ": " + String.join("; ", change.requiredBump() == Bump.MAJOR ? change.breaking() : change.compatible()),
                        change.requiredBump());
            }
        }
        return chosen;
    }

    /**
     * How large the step from {@code base} up to {@code next} is. Going from a pre-release to its
     * release (or a later pre-release of it) counts as the step the pre-release line previews:
     * {@code 2.0.0-rc.1 → 2.0.0} is MAJOR, as node-semver's {@code inc} treats it.
     */
    public static Bump stepBetween(SemVer base, SemVer next) {
        if (next.major() != base.major()) {
            return Bump.MAJOR;
        }
        if (next.minor() != base.minor()) {
            return Bump.MINOR;
        }
        if (next.patch() != base.patch()) {
            return Bump.PATCH;
        }
        if (base.minor() == 0 && base.patch() == 0) {
            return Bump.MAJOR;
        }
        return base.patch() == 0 ? Bump.MINOR : Bump.PATCH;
    }

    /** Tags may not read as anything else a reference can name, so {@code model@x} is never ambiguous. */
    public static void checkTagIsUnambiguous(Lifecycle lifecycle, String tag) {
        String why = null;
        if (tag.equalsIgnoreCase("latest")) {
            why = "\"latest\" is reserved";
        } else if (lifecycle.stages().contains(Stage.of(tag)) || Stage.of(tag).equals(Stage.NONE)) {
            why = "it names a stage";
        } else if (parses(() -> SemVer.parse(tag))) {
            why = "it reads as a version";
        } else if (parses(() -> VersionRange.parse(tag))) {
            why = "it reads as a version range";
        }
        if (why != null) {
            throw new InvalidNameException("Invalid tag " + Names.quote(tag) + ": " + why);
        }
    }

    /** Whether {@code parse} accepts its text. */
    public static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (InvalidVersionException e) {
            return false;
        }
    }
}
