package dev.modelregistry.internal.engine;

import dev.modelregistry.ModelVersion;
import dev.modelregistry.RegistryEvent;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.StageChanged;
import dev.modelregistry.StateConflictException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plans a rollback of an exclusive stage: the current holder leaves it (ROLLED_BACK) and an earlier
 * holder comes back (ROLLBACK) in one append, with no gates and no approval. Pure.
 */
public final class RollbackPlanner {
    private RollbackPlanner() {
    }

    /** Reinstates {@code requested}, or, when empty, the latest earlier holder not itself rolled back. */
    public static Command<StageChange> rollback(Stage stage, Optional<SemVer> requested) {
        return (state, policies, now, verdicts) -> {
            Moves.requireExists(state);
            SemVer target = target(state, stage, requested);
            Optional<SemVer> current = state.current(stage).map(ModelVersion::version);
            Stage archive = policies.lifecycle().archiveStage();
            List<RegistryEvent> planned = new ArrayList<>(2);
            current.ifPresent(c -> planned.add(new StageChanged(c, stage, archive, StageChange.Kind.ROLLED_BACK)));
            planned.add(new StageChanged(target, state.stageOf(target), stage, StageChange.Kind.ROLLBACK));
            return Plan.applied(Moves.withStaleRequestsClosed(state, planned, null), sealed -> Moves.stageChangeOf(sealed, target));
        };
    }

    private static SemVer target(ModelState state, Stage stage, Optional<SemVer> requested) {
        Optional<SemVer> current = state.current(stage).map(ModelVersion::version);
        List<Tenure> tenures = tenures(state.history(), stage);
        if (requested.isPresent()) {
            SemVer target = requested.get();
            state.require(target);
            if (current.isPresent() && current.get().equals(target)) {
                throw new StateConflictException(state.model() + "@" + target + " already holds " + stage);
            }
            boolean heldBefore = tenures.stream().anyMatch(t -> t.version.equals(target) && t.exit != null);
            if (!heldBefore) {
                throw new StateConflictException(state.model() + "@" + target + " never held " + stage
                        + "; rollback only reinstates earlier holders");
            }
            return target;
        }
        // Only a version's latest stay counts: one that last left the stage by a rollback is known
        // bad and is skipped, whatever happened in its earlier stays.
        Set<SemVer> considered = new HashSet<>();
        for (int i = tenures.size() - 1; i >= 0; i--) {
            Tenure t = tenures.get(i);
            if (!considered.add(t.version)) {
                continue;
            }
            boolean eligible = t.exit != null && t.exit != StageChange.Kind.ROLLED_BACK
                    && !(current.isPresent() && current.get().equals(t.version));
            if (eligible) {
                return t.version;
            }
        }
        throw new StateConflictException("Cannot roll back " + stage + " of " + state.model()
                + ": it has no earlier holder" + current.map(c -> " before " + c).orElse(""));
    }

    /** One stay of a version in a stage, and how it ended (null while it lasts). */
    private static final class Tenure {
        final SemVer version;
        StageChange.Kind exit;

        Tenure(SemVer version) {
            this.version = version;
        }
    }

    private static List<Tenure> tenures(List<StageChange> history, Stage stage) {
        List<Tenure> out = new ArrayList<>();
        Map<SemVer, Tenure> open = new LinkedHashMap<>();
        for (StageChange c : history) {
            if (c.from().equals(stage)) {
                Tenure t = open.remove(c.version());
                if (t != null) {
                    t.exit = c.kind();
                }
            }
            if (c.to().equals(stage)) {
                Tenure t = new Tenure(c.version());
                open.put(c.version(), t);
                out.add(t);
            }
        }
        return out;
    }
}
