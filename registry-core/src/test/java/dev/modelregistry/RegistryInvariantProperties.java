package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.memory.InMemoryArtifactStore;
import dev.modelregistry.memory.InMemoryEventStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of operations, valid and invalid, never break the registry's invariants: every
 * refused operation changes nothing, every exclusive stage has at most one holder, every version is
 * in exactly one stage, replaying the stage history gives the current stages, a registry that folds
 * the log from scratch sees exactly the same state, and the hash chain verifies.
 */
class RegistryInvariantProperties {
    private static final List<String> MODELS = List.of("a", "b");
    private static final List<Stage> STAGES = List.of(Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED);

    sealed interface Op permits RegisterBump, RegisterExplicit, Promote, Rollback, RollbackTo {
    }

    record RegisterBump(int model, Bump bump, boolean breakSignature) implements Op {
    }

    record RegisterExplicit(int model, int major, int minor, int patch) implements Op {
    }

    record Promote(int model, int versionIndex, int stage) implements Op {
    }

    record Rollback(int model) implements Op {
    }

    record RollbackTo(int model, int versionIndex) implements Op {
    }

    @Provide
    Arbitrary<Op> operations() {
        Arbitrary<Integer> model = Arbitraries.integers().between(0, MODELS.size() - 1);
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 12);
        return Arbitraries.oneOf(
                Combinators.combine(model, Arbitraries.of(Bump.class), Arbitraries.of(true, false)).as(RegisterBump::new),
                Combinators.combine(model, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 3)).as(RegisterExplicit::new),
                Combinators.combine(model, index, Arbitraries.integers().between(0, STAGES.size() - 1)).as(Promote::new),
                Combinators.combine(model, index, Arbitraries.integers().between(0, STAGES.size() - 1)).as(Promote::new),
                model.map(Rollback::new),
                Combinators.combine(model, index).as(RollbackTo::new));
    }

    @Property(tries = 60)
    void randomOperationSequencesKeepEveryInvariant(@ForAll @Size(min = 1, max = 60) List<@net.jqwik.api.From("operations") Op> ops) {
        InMemoryEventStore events = new InMemoryEventStore();
        InMemoryArtifactStore artifacts = new InMemoryArtifactStore();
        Instant[] now = {Instant.parse("2024-01-01T00:00:00Z")};
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        ModelRegistry registry = ModelRegistry.builder().eventStore(events).artifactStore(artifacts).clock(clock).build();
        Principal p = Principal.of("prop");
        for (Op op : ops) {
            now[0] = now[0].plus(Duration.ofSeconds(1));
            Map<String, Integer> before = logLengths(registry);
            boolean refused = false;
            try {
                apply(registry, p, op);
            } catch (ValidationException | NotFoundException | AlreadyExistsException | StateConflictException e) {
                refused = true;
            }
            if (refused) {
                assertThat(logLengths(registry)).as("refused %s changed nothing", op).isEqualTo(before);
            }
            checkInvariants(registry, events, artifacts);
        }
    }

    private static void apply(ModelRegistry registry, Principal p, Op op) {
        if (op instanceof RegisterBump r) {
            Signature sig = r.breakSignature()
                    ? Signature.of(List.of(Signature.Field.of("x" + r.model(), "double")), List.of())
                    : Signature.of(List.of(Signature.Field.of("x", "double")), List.of());
            registry.register(p, Registration.of(MODELS.get(r.model())).bump(r.bump()).signature(sig).build());
        } else if (op instanceof RegisterExplicit r) {
            registry.register(p, Registration.of(MODELS.get(r.model())).version(SemVer.of(r.major(), r.minor(), r.patch())).build());
        } else if (op instanceof Promote pr) {
            SemVer v = pick(registry, pr.model(), pr.versionIndex());
            registry.promote(p, MODELS.get(pr.model()), v, STAGES.get(pr.stage()), "prop");
        } else if (op instanceof Rollback rb) {
            registry.rollback(p, MODELS.get(rb.model()), Stage.PRODUCTION, "prop");
        } else if (op instanceof RollbackTo rt) {
            registry.rollback(p, MODELS.get(rt.model()), Stage.PRODUCTION, pick(registry, rt.model(), rt.versionIndex()), "prop");
        }
    }

    /** Some version of the model (possibly a missing one, so refusals are exercised too). */
    private static SemVer pick(ModelRegistry registry, int model, int index) {
        List<ModelVersion> all = registry.search(MODELS.get(model), VersionQuery.builder().orderBy(VersionQuery.Order.VERSION_ASC).build()).items();
        return index < all.size() ? all.get(index).version() : SemVer.of(99, index, 0);
    }

    private static Map<String, Integer> logLengths(ModelRegistry registry) {
        Map<String, Integer> out = new HashMap<>();
        for (String m : MODELS) {
            out.put(m, registry.findModel(m).map(s -> (int) s.logLength()).orElse(0));
        }
        return out;
    }

    private static void checkInvariants(ModelRegistry registry, InMemoryEventStore events, InMemoryArtifactStore artifacts) {
        ModelRegistry fresh = ModelRegistry.builder().eventStore(events).artifactStore(artifacts).build();
        assertThat(registry.verify().intact()).isTrue();
        for (String m : MODELS) {
            if (registry.findModel(m).isEmpty()) {
                // One rule for a model that does not exist: every read that is not a find... throws NotFound.
                assertThatThrownBy(() -> registry.versionsIn(m, Stage.PRODUCTION)).isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> fresh.search(m, VersionQuery.builder().build())).isInstanceOf(NotFoundException.class);
                continue;
            }
            List<ModelVersion> versions = registry.search(m, VersionQuery.builder().limit(1000).build()).items();
            assertThat(fresh.search(m, VersionQuery.builder().limit(1000).build()).items()).isEqualTo(versions);
            assertThat(registry.versionsIn(m, Stage.PRODUCTION)).hasSizeLessThanOrEqualTo(1);
            int inSomeStage = 0;
            for (Stage s : STAGES) {
                List<ModelVersion> in = registry.versionsIn(m, s);
                assertThat(fresh.versionsIn(m, s)).isEqualTo(in);
                inSomeStage += in.size();
                for (ModelVersion v : in) {
                    assertThat(registry.stageOf(m, v.version())).isEqualTo(s);
                }
            }
            long unstaged = versions.stream().filter(v -> registry.stageOf(m, v.version()).equals(Stage.NONE)).count();
            assertThat(inSomeStage + unstaged).isEqualTo(versions.size());
            Map<SemVer, Stage> replayed = new HashMap<>();
            for (StageChange c : registry.stageHistory(m)) {
                assertThat(replayed.getOrDefault(c.version(), Stage.NONE)).isEqualTo(c.from());
                replayed.put(c.version(), c.to());
            }
            for (ModelVersion v : versions) {
                assertThat(registry.stageOf(m, v.version())).isEqualTo(replayed.getOrDefault(v.version(), Stage.NONE));
            }
            Optional<ModelVersion> prod = registry.findCurrent(m, Stage.PRODUCTION);
            assertThat(prod).isEqualTo(fresh.findCurrent(m, Stage.PRODUCTION));
            assertThat(new ArrayList<>(registry.versionsIn(m, Stage.PRODUCTION))).isEqualTo(prod.map(List::of).orElse(List.of()));
        }
    }
}
