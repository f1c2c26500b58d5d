package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.EventStore;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.testkit.contract.RequestPushdownTests;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The open-request equivalence suite on SQLite's {@code open_requests} table, and that its answers cost no log read. */
@DisplayName("open promotion requests answered from their table")
class RequestPushdownTest extends RequestPushdownTests {
    @Override
    protected EventStore openStore(Path dir) {
        return SqliteEventStore.builder(dir.resolve(SqliteRegistry.DATABASE_FILE)).durability(Durability.NORMAL).open();
    }

    @Test
    @DisplayName("a freshly opened registry lists open requests, per model and per awaited role, without reading any model's log")
    void readsNoLog() {
        CountingStore counting = new CountingStore((SqliteEventStore) openStore(dir));
        try (ModelRegistry fresh = ModelRegistry.builder().eventStore(counting).build()) {
            assertRegistryAnswersAsTheFold(fresh);
            assertThat(counting.modelLogsRead()).isEmpty();
        }
    }
}
