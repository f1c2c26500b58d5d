package dev.modelregistry.serving;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check again and again on a scheduler, at {@code base} intervals while there is activity and
 * doubling up to {@code max} while there is none. One check runs at a time, whether scheduled or
 * asked for with {@link #pollNow()}. The check returns whether it saw activity; a check that throws
 * is logged and counts as idle, so a failing backend is not hammered.
 */
final class Poller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final String name;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final long baseNanos;
    private final long maxNanos;
    private final BooleanSupplier check;
    private final ReentrantLock lock = new ReentrantLock();
    private long intervalNanos;
    private ScheduledFuture<?> next;
    private volatile boolean closed;

    /**
     * @param scheduler where checks run; null for a daemon thread of its own, shut down by {@link #close()}
     */
    Poller(String name, ScheduledExecutorService scheduler, Duration base, Duration max, BooleanSupplier check) {
        this.name = name;
        this.ownsScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : ownScheduler(name);
        this.baseNanos = base.toNanos();
        this.maxNanos = Math.max(max.toNanos(), baseNanos);
        this.check = check;
        this.intervalNanos = baseNanos;
    }

    /** A single daemon thread named after what it polls. */
    static ScheduledExecutorService ownScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** Schedules the first check one base interval from now. */
    void start() {
        lock.lock();
        try {
            schedule(baseNanos);
        } finally {
            lock.unlock();
        }
    }

    /** Runs a check on the calling thread now (waiting for one in progress) and resets the interval when it saw activity. */
    void pollNow() {
        lock.lock();
        try {
            if (!closed) {
                runCheck();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} while no check runs, e.g. to move a cursor a check would otherwise overwrite. */
    void exclusively(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Like {@link #wakeUp()}, but never blocks the caller: change notifications arrive on writers'
     * threads, which may hold locks that a running check is waiting for, so the wake-up is handed to
     * the scheduler instead of taken here.
     */
    void wakeUpSoon() {
        try {
            scheduler().execute(this::wakeUp);
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            // Closed: nothing to wake.
        }
    }

    /** Brings the next scheduled check forward to now (on the scheduler) and resets the interval. */
    void wakeUp() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            intervalNanos = baseNanos;
            if (next != null) {
                next.cancel(false);
            }
            schedule(0);
        } finally {
            lock.unlock();
        }
    }

    /** The interval the next scheduled check waits; grows while idle. */
    Duration currentInterval() {
        lock.lock();
        try {
            return Duration.ofNanos(intervalNanos);
        } finally {
            lock.unlock();
        }
    }

    private void scheduled() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            runCheck();
            schedule(intervalNanos);
        } finally {
            lock.unlock();
        }
    }

    private void runCheck() {
        boolean active;
        try {
            active = check.getAsBoolean();
        } catch (RuntimeException | Error e) {
            LOG.warn("{}: check failed, retrying in up to {} ms: {}", name, TimeUnit.NANOSECONDS.toMillis(Math.min(intervalNanos * 2, maxNanos)), e.toString(), e);
            active = false;
        }
        intervalNanos = active ? baseNanos : Math.min(intervalNanos * 2, maxNanos);
    }

    private void schedule(long delayNanos) {
        if (closed) {
            return;
        }
        try {
            next = scheduler.schedule(this::scheduled, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("{}: the scheduler refused the next check; polling stops: {}", name, e.toString());
        }
    }

    /** Stops checking; waits for a check in progress. Shuts down the scheduler only if it is this poller's own. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            if (next != null) {
                next.cancel(false);
            }
        } finally {
            lock.unlock();
        }
        if (ownsScheduler) {
            scheduler.shutdown();
        }
    }
}
