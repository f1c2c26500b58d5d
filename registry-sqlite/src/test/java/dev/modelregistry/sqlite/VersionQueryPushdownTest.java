package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.EventStore;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.testkit.contract.VersionQueryPushdownTests;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The version-query equivalence suite on SQLite, and that its answers cost no log read. */
@DisplayName("version queries answered in SQL")
class VersionQueryPushdownTest extends VersionQueryPushdownTests {
    @Override
    protected EventStore openStore(Path dir) {
        return SqliteEventStore.builder(dir.resolve(SqliteRegistry.DATABASE_FILE)).durability(Durability.NORMAL).open();
    }

    @Test
    @DisplayName("a freshly opened registry answers every version query from the tables without reading any model's log")
    void readsNoLog() {
        CountingStore counting = new CountingStore((SqliteEventStore) openStore(dir));
        try (ModelRegistry fresh = ModelRegistry.builder().eventStore(counting).build()) {
            assertRegistryAnswersAsTheFold(fresh);
            assertThat(counting.modelLogsRead()).isEmpty();
        }
    }
}
