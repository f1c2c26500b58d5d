package dev.modelregistry.internal.engine;

/**
 * The serving path's lookup from a model's name to its entry: an open-addressing table read
 * without a lock, written under one. It exists for one reason: the compiled
 * {@code findCurrent} must stay small enough for the JIT to inline into its callers (HotSpot
 * refuses callees whose code exceeds {@code InlineSmallCode}, 2,500 bytes), and a
 * {@code ConcurrentHashMap.get} alone, with its bin walk and two inlined {@code String.equals},
 * took most of that budget. Here a lookup is one hash, one probe and usually an identity
 * compare; {@code String.equals} runs only on a full hash match, so while callers pass the
 * name instances they registered with, the JIT compiles no string comparison at all.
 *
 * <p>Readers may see a table without an entry put a moment ago; they then take the slow path,
 * which puts it. Entries are safely published by their final fields, so a racy read of a slot
 * sees a complete entry. An entry is replaced, never removed: a stale one has a stale view
 * token and sends readers down the slow path, which puts the live one.
 */
final class ServingIndex {
    private volatile ModelLog[] table = new ModelLog[64];
    private int size;

    ModelLog get(String key) {
        if (key == null) {
            return null;
        }
        ModelLog[] t = table;
        int mask = t.length - 1;
        int h = spread(key);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            ModelLog e = t[i];
            if (e == null || e.key == key || (e.hash == h && e.key.equals(key))) {
                return e;
            }
        }
    }

    static int spread(String key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    synchronized void put(ModelLog entry) {
        ModelLog[] t = table;
        if (2 * (size + 1) > t.length) {
            ModelLog[] grown = new ModelLog[t.length * 2];
            for (ModelLog e : t) {
                if (e != null) {
                    grown[slot(grown, e.key)] = e;
                }
            }
            t = grown;
        }
        int i = slot(t, entry.key);
        if (t[i] == null) {
            size++;
        }
        t[i] = entry;
        table = t; // a volatile write: publishes the new slot (and a grown table) to readers
    }

    /** The slot that holds {@code key}, or the empty slot where it belongs. */
    private static int slot(ModelLog[] t, String key) {
        int mask = t.length - 1;
        int i = spread(key) & mask;
        while (t[i] != null && !t[i].key.equals(key)) {
            i = (i + 1) & mask;
        }
        return i;
    }
}
