package dev.modelregistry.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Page;
import dev.modelregistry.Registration;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StageChange;
import dev.modelregistry.VersionQuery;
import dev.modelregistry.VersionRange;
import dev.modelregistry.spi.SupportsVersionQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The equivalence suite of {@link SupportsVersionQueries}: over a {@link GeneratedHistory}, the
 * store's index answers every lookup, range and search exactly as the core's fold of the same logs
 * does (same versions, same pages, same cursors), asked directly and through a freshly opened
 * registry. Every backend that implements the capability extends it:
 *
 * <pre>{@code
 * class SqliteVersionQueryPushdownTest extends VersionQueryPushdownTests {
 *     protected EventStore openStore(Path dir) { return SqliteEventStore.open(dir.resolve("registry.db")); }
 * }
 * }</pre>
 */
public abstract class VersionQueryPushdownTests extends PushdownFixture {
    private static final List<Stage> STAGES = List.of(Stage.NONE, Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED);
    private static final List<String> RANGES = List.of("*", "^1", "^1.1", "~2.1", "<1.0.0", ">=2.2.0-0", "1.1.x", "0.x || 2.x",
            "1.0.0 - 1.2.5", ">1.1.3 <2.0.0-rc", "^0.0.1", "^5", ">=1.2.3-alpha <1.2.4", "2.2.7-rc", "<=0.0.0");

    /** One side's version answers, by model name: the fold, the index, or a registry over the index. */
    protected interface Answers {
        Optional<ModelVersion> findVersion(String model, SemVer version);

        Optional<ModelVersion> findByTag(String model, String tag);

        Optional<ModelVersion> findCurrent(String model, Stage stage);

        Optional<ModelVersion> findHighest(String model, VersionRange range);

        Optional<ModelVersion> findLatest(String model);

        Page<ModelVersion> search(String model, VersionQuery query);

        static Answers of(ModelRegistry registry) {
            return new Answers() {
                public Optional<ModelVersion> findVersion(String model, SemVer version) {
                    return registry.findVersion(model, version);
                }

                public Optional<ModelVersion> findByTag(String model, String tag) {
                    return registry.findByTag(model, tag);
                }

                public Optional<ModelVersion> findCurrent(String model, Stage stage) {
                    return registry.findCurrent(model, stage);
                }

                public Optional<ModelVersion> findHighest(String model, VersionRange range) {
                    return registry.findHighest(model, range);
                }

                public Optional<ModelVersion> findLatest(String model) {
                    return registry.findLatest(model);
                }

                public Page<ModelVersion> search(String model, VersionQuery query) {
                    return registry.search(model, query);
                }
            };
        }

        static Answers of(SupportsVersionQueries index) {
            return new Answers() {
                public Optional<ModelVersion> findVersion(String model, SemVer version) {
                    return index.findVersion(ModelName.of(model), version);
                }

                public Optional<ModelVersion> findByTag(String model, String tag) {
                    return index.findByTag(ModelName.of(model), tag);
                }

                public Optional<ModelVersion> findCurrent(String model, Stage stage) {
                    return index.findCurrent(ModelName.of(model), stage);
                }

                public Optional<ModelVersion> findHighest(String model, VersionRange range) {
                    return index.findHighest(ModelName.of(model), range);
                }

                public Optional<ModelVersion> findLatest(String model) {
                    return index.findLatest(ModelName.of(model));
                }

                public Page<ModelVersion> search(String model, VersionQuery query) {
                    return index.search(ModelName.of(model), query);
                }
            };
        }
    }

    private Answers fold() {
        return Answers.of(folded);
    }

    private Answers index() {
        return Answers.of(capability(SupportsVersionQueries.class));
    }

    @Test
    @DisplayName("the generated history is varied: many versions per model, every stage held, tags, rollbacks")
    void historyIsVaried() {
        for (String model : GeneratedHistory.VERSIONED) {
            assertThat(allVersions(model)).hasSizeGreaterThanOrEqualTo(90);
            assertThat(folded.stageHistory(model)).extracting(StageChange::kind).contains(StageChange.Kind.ROLLBACK, StageChange.Kind.DISPLACED);
        }
        for (Stage stage : List.of(Stage.STAGING, Stage.PRODUCTION, Stage.ARCHIVED)) {
            assertThat(GeneratedHistory.models()).as(stage.name()).anyMatch(m -> folded.findCurrent(m, stage).isPresent());
        }
        assertThat(history.tags()).hasSizeGreaterThan(20);
    }

    /** Every answer of {@code actual} about point lookups equals the fold's; the number compared. */
    protected void assertSameLookups(Answers actual) {
        Answers fold = fold();
        int compared = 0;
        for (String model : GeneratedHistory.models()) {
            for (ModelVersion v : allVersions(model)) {
                assertThat(actual.findVersion(model, v.version())).contains(v);
                SemVer otherBuild = SemVer.parse(v.version().toString().replaceAll("\\+.*", "") + "+other.9");
                assertThat(actual.findVersion(model, otherBuild)).as("%s with other build metadata", v).contains(v);
                compared++;
            }
            assertThat(actual.findVersion(model, SemVer.parse("99.0.0"))).isEmpty();
            for (String tag : history.tags()) {
                assertThat(actual.findByTag(model, tag)).as("%s tag %s", model, tag).isEqualTo(fold.findByTag(model, tag));
            }
            for (Stage stage : STAGES) {
                assertThat(actual.findCurrent(model, stage)).as("%s in %s", model, stage).isEqualTo(fold.findCurrent(model, stage));
            }
            assertThat(actual.findLatest(model)).as("latest of %s", model).isEqualTo(fold.findLatest(model));
        }
        assertThat(compared).isGreaterThan(200);
    }

    /** Every answer of {@code actual} about ranges equals the fold's. */
    protected void assertSameRanges(Answers actual) {
        Answers fold = fold();
        for (String model : GeneratedHistory.models()) {
            for (String text : RANGES) {
                VersionRange range = VersionRange.parse(text);
                assertThat(actual.findHighest(model, range)).as("%s %s", model, text).isEqualTo(fold.findHighest(model, range));
            }
        }
    }

    /** Every page and cursor of {@code actual}, for every order, filter and page size, equals the fold's. */
    protected void assertSameSearches(Answers actual) {
        List<UnaryOperator<VersionQuery.Builder>> shapes = new ArrayList<>();
        for (VersionQuery.Order order : VersionQuery.Order.values()) {
            boolean byMetric = order == VersionQuery.Order.METRIC_ASC || order == VersionQuery.Order.METRIC_DESC;
            for (int filter = 0; filter < 8; filter++) {
                int f = filter;
                shapes.add(b -> {
                    if (byMetric) {
                        b.orderBy(order, f % 2 == 0 ? "auc" : "latency");
                    } else {
                        b.orderBy(order);
                    }
                    return switch (f) {
                        case 1 -> b.stage(Stage.STAGING);
                        case 2 -> b.label("team", "o'brien");
                        case 3 -> b.label("team", "risk").label("region", "eu");
                        case 4 -> b.metricAtLeast("auc", 0.0).metricAtMost("latency", 3);
                        case 5 -> b.stage(Stage.NONE).metricAtMost("auc", -0.0);
                        case 6 -> b.tag(history.tags().get(0));
                        case 7 -> b.label("note", "");
                        default -> b;
                    };
                });
            }
        }
        int pages = 0;
        for (String model : GeneratedHistory.VERSIONED) {
            for (UnaryOperator<VersionQuery.Builder> shape : shapes) {
                for (int limit : new int[] {7, VersionQuery.MAX_LIMIT}) {
                    pages += assertSamePages(actual, model, shape, limit);
                }
            }
        }
        assertThat(pages).isGreaterThan(300);
    }

    private int assertSamePages(Answers actual, String model, UnaryOperator<VersionQuery.Builder> shape, int limit) {
        String cursor = null;
        int pages = 0;
        do {
            VersionQuery.Builder b = shape.apply(VersionQuery.builder()).limit(limit);
            if (cursor != null) {
                b.after(cursor);
            }
            VersionQuery query = b.build();
            Page<ModelVersion> expected = folded.search(model, query);
            Page<ModelVersion> got = actual.search(model, query);
            pages++;
            assertThat(got.items()).as("%s page %d of %s", model, pages, describe(query)).isEqualTo(expected.items());
            assertThat(got.nextCursor()).as("%s cursor after page %d of %s", model, pages, describe(query)).isEqualTo(expected.nextCursor());
            cursor = expected.nextCursor();
        } while (cursor != null);
        return pages;
    }

    private static String describe(VersionQuery q) {
        return q.order() + " " + q.orderMetric().orElse("") + " stage=" + q.stage().orElse(null) + " labels=" + q.labels()
                + " metrics=" + q.metricFilters() + " tag=" + q.tag().orElse(null) + " limit=" + q.limit();
    }

    private List<ModelVersion> allVersions(String model) {
        Page<ModelVersion> page = folded.search(model, VersionQuery.builder().limit(VersionQuery.MAX_LIMIT).build());
        assertThat(page.hasNext()).isFalse();
        return page.items();
    }

    /** Every answer of {@code registry} equals the fold's: what a backend's own test can call on a registry it instruments. */
    protected void assertRegistryAnswersAsTheFold(ModelRegistry registry) {
        Answers answers = Answers.of(registry);
        assertSameLookups(answers);
        assertSameRanges(answers);
        assertSameSearches(answers);
    }

    @Nested
    @DisplayName("the store's index")
    class Index {

        @Test
        @DisplayName("finds versions by precedence (build metadata ignored), by tag, by stage and the latest, as the fold does")
        void lookups() {
            assertSameLookups(index());
        }

        @Test
        @DisplayName("finds the highest version in a range, pre-releases included only as npm allows, as the fold does")
        void ranges() {
            assertSameRanges(index());
        }

        @Test
        @DisplayName("returns the same pages and cursors as the fold for every order, filter and page size")
        void searches() {
            assertSameSearches(index());
        }

        @Test
        @DisplayName("knows nothing of a model without a log")
        void unknownModel() {
            SupportsVersionQueries index = capability(SupportsVersionQueries.class);
            ModelName ghost = ModelName.of("ghost");
            assertThat(index.findVersion(ghost, SemVer.parse("1.0.0"))).isEmpty();
            assertThat(index.findByTag(ghost, "champion")).isEmpty();
            assertThat(index.findLatest(ghost)).isEmpty();
            assertThat(index.findCurrent(ghost, Stage.PRODUCTION)).isEmpty();
            assertThat(index.findHighest(ghost, VersionRange.parse("*"))).isEmpty();
            assertThat(index.search(ghost, VersionQuery.all()).items()).isEmpty();
        }
    }

    @Nested
    @DisplayName("a freshly opened registry")
    class FreshRegistry {

        @Test
        @DisplayName("answers every lookup, range and search as the fold does")
        void answersAsTheFold() throws Exception {
            try (ModelRegistry fresh = freshRegistry()) {
                assertRegistryAnswersAsTheFold(fresh);
                assertThat(fresh.findLatest("ghost")).isEmpty();
                assertThatThrownBy(() -> fresh.search("ghost", VersionQuery.all())).isInstanceOf(NotFoundException.class);
            }
        }

        @Test
        @DisplayName("answers as of the latest write, also one another registry made")
        void followsWrites() throws Exception {
            try (ModelRegistry writer = registryOnOwnStorage("follow"); ModelRegistry fresh = registryOnOwnStorage("follow")) {
                writer.register(GeneratedHistory.ALICE, Registration.of("late").version("1.0.0").tag("first").build());
                writer.promote(GeneratedHistory.ALICE, "late", SemVer.parse("1.0.0"), Stage.STAGING, "");
                assertThat(fresh.findCurrent("late", Stage.STAGING)).map(ModelVersion::version).contains(SemVer.parse("1.0.0"));
                assertThat(fresh.findLatest("late")).map(ModelVersion::version).contains(SemVer.parse("1.0.0"));

                writer.register(GeneratedHistory.ALICE, Registration.of("late").version("1.1.0").build());
                writer.promote(GeneratedHistory.ALICE, "late", SemVer.parse("1.0.0"), Stage.PRODUCTION, "");
                assertThat(fresh.findCurrent("late", Stage.PRODUCTION)).map(ModelVersion::version).contains(SemVer.parse("1.0.0"));
                assertThat(fresh.findCurrent("late", Stage.STAGING)).isEmpty();
                assertThat(fresh.findLatest("late")).map(ModelVersion::version).contains(SemVer.parse("1.1.0"));
                assertThat(fresh.findByTag("late", "first")).map(ModelVersion::version).contains(SemVer.parse("1.0.0"));
                assertThat(fresh.search("late", VersionQuery.builder().stage(Stage.NONE).build()).items())
                        .extracting(ModelVersion::version).containsExactly(SemVer.parse("1.1.0"));
            }
        }
    }
}
