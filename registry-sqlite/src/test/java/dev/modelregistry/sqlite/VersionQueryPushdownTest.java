package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.AlreadyExistsException;
import dev.modelregistry.IllegalTransitionException;
import dev.modelregistry.StateConflictException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Page;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.memory.InMemoryEventStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL answers of {@link SupportsVersionQueries} against the core's own fold of the same logs:
 * a registry over an in-memory store fed with a copy of every log always folds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("version queries answered in SQL")
class VersionQueryPushdownTest {
    private static final Principal ALICE = Principal.of("alice");
    private static final List<String> MODELS = List.of("fraud", "churn");
    private static final List<Stage> STAGES = List.of(Stage.NONE, Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED);

    @TempDir
    static Path dir;
    private ModelRegistry writer;
    private SqliteEventStore store;
    private ModelRegistry folded;
    private final List<String> tags = new ArrayList<>();

    @BeforeAll
    void generate() {
        Random random = new Random(11);
        MutableClock clock = new MutableClock();
        writer = SqliteRegistry.options(dir).durability(Durability.NORMAL).builder().clock(clock).build();
        for (String model : MODELS) {
            TreeSet<SemVer> used = new TreeSet<>();
            while (used.size() < 90) {
                SemVer v = PrecedenceKeyTest.randomVersion(random);
                if (!used.add(v)) {
                    continue;
                }
                // Ties in creation time and in metric values exercise the version tie-break.
                clock.now = clock.now.plus(Duration.ofSeconds(random.nextInt(3)));
                Registration.Builder r = Registration.of(model).version(v)
                        .label("team", List.of("risk", "growth", "o'brien").get(random.nextInt(3)))
                        .metric("auc", List.of(0.5, 0.75, 0.9, 0.0, -0.0, -1.5).get(random.nextInt(6)));
                if (random.nextBoolean()) {
                    r.metric("latency", random.nextInt(5));
                    r.label("region", random.nextBoolean() ? "eu" : "us");
                }
                if (random.nextInt(5) == 0) {
                    String tag = "champion-" + model + "-" + used.size();
                    r.tag(tag);
                    tags.add(tag);
                }
                try {
                    writer.register(ALICE, r.build());
                } catch (AlreadyExistsException e) {
                    used.remove(v);
                }
            }
            List<SemVer> versions = new ArrayList<>(used);
            for (int i = 0; i < 120; i++) {
                SemVer v = versions.get(random.nextInt(versions.size()));
                Stage to = List.of(Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED).get(random.nextInt(3));
                clock.now = clock.now.plusSeconds(1);
                try {
                    if (random.nextInt(10) == 0) {
                        writer.rollback(ALICE, model, Stage.PRODUCTION, "");
                    } else {
                        writer.promote(ALICE, model, v, to, "");
                    }
                } catch (IllegalTransitionException | StateConflictException e) {
                    // Not every random move is allowed; the refused ones change nothing.
                }
            }
        }
        store = SqliteEventStore.open(dir.resolve(SqliteRegistry.DATABASE_FILE));
        InMemoryEventStore copy = new InMemoryEventStore();
        for (ModelName model : store.models()) {
            copy.append(model, 0, store.read(model, 1));
        }
        folded = ModelRegistry.builder().eventStore(copy).build();
    }

    @AfterAll
    void close() {
        writer.close();
        store.close();
        folded.close();
    }

    @Test
    @DisplayName("finds versions by precedence (build metadata ignored), by tag, by stage and the latest, as the fold does")
    void pointLookups() {
        for (String model : MODELS) {
            ModelName name = ModelName.of(model);
            for (ModelVersion v : allOf(model)) {
                assertThat(store.findVersion(name, v.version())).contains(v);
                SemVer otherBuild = SemVer.parse(v.version().toString().replaceAll("\\+.*", "") + "+other.9");
                assertThat(store.findVersion(name, otherBuild)).contains(v);
            }
            assertThat(store.findVersion(name, SemVer.parse("99.0.0"))).isEmpty();
            for (String tag : tags) {
                assertThat(store.findByTag(name, tag)).as(tag).isEqualTo(folded.findByTag(model, tag));
            }
            for (Stage stage : STAGES) {
                assertThat(store.findCurrent(name, stage)).as(stage.name()).isEqualTo(folded.findCurrent(model, stage));
            }
            assertThat(store.findLatest(name)).isEqualTo(folded.findLatest(model));
        }
        ModelName ghost = ModelName.of("ghost");
        assertThat(store.findLatest(ghost)).isEmpty();
        assertThat(store.findCurrent(ghost, Stage.PRODUCTION)).isEmpty();
        assertThat(store.findHighest(ghost, VersionRange.parse("*"))).isEmpty();
        assertThat(store.search(ghost, VersionQuery.all()).items()).isEmpty();
    }

    @Test
    @DisplayName("finds the highest version in a range, pre-releases included only as npm allows, as the fold does")
    void ranges() {
        List<String> ranges = List.of("*", "^1", "^1.1", "~2.1", "<1.0.0", ">=2.2.0-0", "1.1.x", "0.x || 2.x", "1.0.0 - 1.2.5",
                ">1.1.3 <2.0.0-rc", "^0.0.1", "^5", ">=1.2.3-alpha <1.2.4", "2.2.7-rc", "<=0.0.0");
        for (String model : MODELS) {
            for (String text : ranges) {
                VersionRange range = VersionRange.parse(text);
                assertThat(store.findHighest(ModelName.of(model), range)).as(model + " " + text).isEqualTo(folded.findHighest(model, range));
            }
        }
    }

    @Test
    @DisplayName("returns the same pages and cursors as the fold for every order, filter and page size")
    void searches() {
        List<VersionQuery.Builder> shapes = new ArrayList<>();
        for (VersionQuery.Order order : VersionQuery.Order.values()) {
            boolean metric = order == VersionQuery.Order.METRIC_ASC || order == VersionQuery.Order.METRIC_DESC;
            for (int filter = 0; filter < 7; filter++) {
                VersionQuery.Builder b = VersionQuery.builder();
                if (metric) {
                    b.orderBy(order, filter % 2 == 0 ? "auc" : "latency");
                } else {
                    b.orderBy(order);
                }
                switch (filter) {
                    case 1 -> b.stage(Stage.STAGING);
                    case 2 -> b.label("team", "o'brien");
                    case 3 -> b.label("team", "risk").label("region", "eu");
                    case 4 -> b.metricAtLeast("auc", 0.0).metricAtMost("latency", 3);
                    case 5 -> b.stage(Stage.NONE).metricAtMost("auc", -0.0);
                    case 6 -> b.tag(tags.get(0));
                    default -> { }
                }
                shapes.add(b);
            }
        }
        int pages = 0;
        for (String model : MODELS) {
            for (VersionQuery.Builder shape : shapes) {
                for (int limit : new int[] {6, 1000}) {
                    pages += assertSamePages(model, shape, limit);
                }
            }
        }
        assertThat(pages).isGreaterThan(300);
    }

    private int assertSamePages(String model, VersionQuery.Builder shape, int limit) {
        VersionQuery first = copyWith(shape, limit, null);
        Page<ModelVersion> expected = folded.search(model, first);
        Page<ModelVersion> actual = store.search(ModelName.of(model), first);
        int pages = 1;
        while (true) {
            assertThat(actual.items()).as("%s page %d of %s", model, pages, describe(first)).isEqualTo(expected.items());
            assertThat(actual.nextCursor()).isEqualTo(expected.nextCursor());
            if (!expected.hasNext()) {
                return pages;
            }
            VersionQuery next = copyWith(shape, limit, expected.nextCursor());
            expected = folded.search(model, next);
            actual = store.search(ModelName.of(model), next);
            pages++;
        }
    }

    private static String describe(VersionQuery q) {
        return q.order() + " " + q.orderMetric().orElse("") + " stage=" + q.stage().orElse(null) + " labels=" + q.labels()
                + " metrics=" + q.metricFilters() + " tag=" + q.tag().orElse(null) + " limit=" + q.limit();
    }

    /** Builders are not reusable with another limit, so every page rebuilds the query from its shape. */
    private static VersionQuery copyWith(VersionQuery.Builder shape, int limit, String cursor) {
        VersionQuery template = shape.build();
        VersionQuery.Builder b = VersionQuery.builder();
        if (template.orderMetric().isPresent()) {
            b.orderBy(template.order(), template.orderMetric().get());
        } else {
            b.orderBy(template.order());
        }
        template.stage().ifPresent(b::stage);
        template.tag().ifPresent(b::tag);
        template.labels().forEach(b::label);
        for (VersionQuery.MetricFilter f : template.metricFilters()) {
            if (f.atLeast()) {
                b.metricAtLeast(f.metric(), f.bound());
            } else {
                b.metricAtMost(f.metric(), f.bound());
            }
        }
        b.limit(limit);
        if (cursor != null) {
            b.after(cursor);
        }
        return b.build();
    }

    private List<ModelVersion> allOf(String model) {
        List<ModelVersion> out = new ArrayList<>();
        Page<ModelVersion> page = folded.search(model, VersionQuery.builder().limit(VersionQuery.MAX_LIMIT).build());
        out.addAll(page.items());
        assertThat(page.hasNext()).isFalse();
        assertThat(out).hasSizeGreaterThanOrEqualTo(90);
        return out;
    }

    /** A clock the test moves by hand, so that creation times tie. */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2024-05-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
