package dev.modelregistry.sqlite;

/**
 * How hard a committed write is pushed to disk before {@code append} returns: SQLite's
 * {@code synchronous} setting in WAL mode.
 */
public enum Durability {
    /**
     * {@code synchronous=FULL} (the default): the WAL is synced at every commit. A write that
     * returned survives an application crash, a killed process, an operating-system crash and a
     * power loss (as far as the disk honours its flushes).
     */
    FULL,
    /**
     * {@code synchronous=NORMAL}: the WAL is synced only at checkpoints. A write that returned
     * survives an application crash or a killed process (the WAL is in the OS page cache), but the
     * last commits before an operating-system crash or a power loss may be lost. The database is
     * never corrupted either way: it rolls back to an earlier consistent state, with every log still
     * gap-free and hash-chained. Several times faster for small writes.
     */
    NORMAL
}
