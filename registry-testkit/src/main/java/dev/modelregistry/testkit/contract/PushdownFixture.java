package dev.modelregistry.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.EventStore;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.memory.InMemoryEventStore;
import dev.modelregistry.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the index-pushdown suites share: a {@link GeneratedHistory} written once per test class
 * through a registry over the backend, then two ways of answering over it. The <em>fold</em> is a
 * registry over an {@link InMemoryEventStore} holding a copy of every log, which has no index and
 * always answers from the folded state; the <em>index</em> is the backend's store itself, asked
 * directly or through a freshly opened registry, which uses the index for every model it has not
 * loaded. Both must agree on every answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PushdownFixture {

    /** The folder of the history's storage, for the class. */
    protected Path dir;

    /** What was written. */
    protected GeneratedHistory history;
    /** A store instance opened after the history was written: its index answers. */
    protected EventStore store;
    /** A registry over a copy of every log in memory: the fold answers. */
    protected ModelRegistry folded;
    private final List<AutoCloseable> opened = new ArrayList<>();

    /**
     * Opens a store over the storage kept under {@code dir}, created empty by the first call; every
     * further call with the same folder opens another instance over the same storage.
     */
    protected abstract EventStore openStore(Path dir) throws Exception;

    @BeforeAll
    void writeHistory(@TempDir Path classDir) throws Exception {
        dir = classDir;
        ManualClock clock = new ManualClock(Instant.parse("2024-05-01T00:00:00Z"));
        try (ModelRegistry writer = ModelRegistry.builder().eventStore(openStore(dir)).clock(clock).build()) {
            history = GeneratedHistory.write(writer, clock);
        }
        store = openStore(dir);
        opened.add(store);
        InMemoryEventStore copy = new InMemoryEventStore();
        for (ModelName model : store.models()) {
            copy.append(model, 0, store.read(model, 1));
        }
        folded = ModelRegistry.builder().eventStore(copy).build();
        opened.add(folded);
        assertThat(folded.models()).extracting(ModelName::value).containsExactlyInAnyOrderElementsOf(GeneratedHistory.models());
    }

    @AfterAll
    void closeStores() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    /** The store as the capability the suite tests; a backend that extends the suite must implement it. */
    protected <T> T capability(Class<T> type) {
        assertThat(store).as("a store whose test extends this suite").isInstanceOf(type);
        return type.cast(store);
    }

    /** A registry over a new store instance on the history's storage, that has loaded no model; the caller closes it. */
    protected ModelRegistry freshRegistry() throws Exception {
        return ModelRegistry.builder().eventStore(openStore(dir)).build();
    }

    /**
     * A registry over storage of its own, in {@code folder} under this class's folder (empty at the
     * first call; every call opens another store instance on it); the caller closes it.
     */
    protected ModelRegistry registryOnOwnStorage(String folder) throws Exception {
        return ModelRegistry.builder().eventStore(openStore(dir.resolve(folder))).build();
    }
}
