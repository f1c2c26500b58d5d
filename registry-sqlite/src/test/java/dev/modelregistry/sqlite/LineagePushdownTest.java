package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.EventStore;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.testkit.contract.LineagePushdownTests;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lineage equivalence suite on SQLite (recursive CTEs over {@code lineage_edges}), and that its
 * answers cost no log read.
 */
@DisplayName("lineage queries answered in SQL")
class LineagePushdownTest extends LineagePushdownTests {
    @Override
    protected EventStore openStore(Path dir) {
        return SqliteEventStore.builder(dir.resolve(SqliteRegistry.DATABASE_FILE)).durability(Durability.NORMAL).open();
    }

    @Test
    @DisplayName("a freshly opened registry answers lineage queries from the tables without reading any model's log")
    void readsNoLog() {
        CountingStore counting = new CountingStore((SqliteEventStore) openStore(dir));
        try (ModelRegistry fresh = ModelRegistry.builder().eventStore(counting).build()) {
            assertSameAsTheGraph(Answers.of(fresh));
            assertThat(counting.modelLogsRead()).isEmpty();
        }
    }
}
