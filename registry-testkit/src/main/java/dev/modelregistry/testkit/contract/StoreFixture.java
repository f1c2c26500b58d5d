package dev.modelregistry.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store contract suites share: the test's folder, the stores opened on it (all closed
 * after the test), whether a backend can open a second instance over one storage, and racing tasks
 * on real threads.
 *
 * @param <S> the kind of store
 */
public abstract class StoreFixture<S extends AutoCloseable> {

    @TempDir
    protected Path dir;

    /** The first store of the test, over empty storage. */
    protected S store;
    private final List<S> opened = new CopyOnWriteArrayList<>();

    /**
     * Opens a store over the storage kept under {@code dir}, created empty by the first call of a
     * test. Where {@link #supportsSecondInstance()}, every further call opens another instance over
     * the same storage, as another process would; otherwise the suite calls it once per test.
     */
    protected abstract S openStore(Path dir) throws Exception;

    /** Whether several store instances can share one storage (a database file, a folder, a bucket). */
    protected boolean supportsSecondInstance() {
        return false;
    }

    /** How many threads race; a backend may lower it where every attempt costs requests. */
    protected int raceThreads() {
        return 8;
    }

    @BeforeEach
    void openFirstStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStores() throws Exception {
        for (S s : opened) {
            s.close();
        }
    }

    /** Another store over this test's storage, closed after the test. */
    S open() throws Exception {
        S s = openStore(dir);
        opened.add(s);
        return s;
    }

    /** Another instance over this test's storage; the test is skipped where the backend has none. */
    protected S secondInstance() throws Exception {
        assumeThat(supportsSecondInstance()).as("the backend can open a second instance over one storage").isTrue();
        return open();
    }

    /** A store for one racing thread: an instance of its own where the backend has them, else the one store. */
    S storeForAThread() throws Exception {
        return supportsSecondInstance() ? open() : store;
    }

    /** Starts every task at once on {@code pool} and returns their results in order; a task that throws fails the test. */
    static <T> List<T> race(ExecutorService pool, List<Callable<T>> tasks) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return task.call();
            }));
        }
        assertThat(ready.await(1, TimeUnit.MINUTES)).as("every racer started").isTrue();
        go.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                results.add(f.get(5, TimeUnit.MINUTES));
            } catch (ExecutionException e) {
                throw new AssertionError("A racer failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("A racer did not finish", e);
            }
        }
        return results;
    }
}
