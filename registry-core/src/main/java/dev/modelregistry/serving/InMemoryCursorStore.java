package dev.modelregistry.serving;

import dev.modelregistry.ModelName;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Cursor positions in a map; see {@link CursorStore#inMemory()}. */
final class InMemoryCursorStore implements CursorStore {
    private final ConcurrentMap<ModelName, Long> positions = new ConcurrentHashMap<>();

    @Override
    public long position(ModelName model) {
        return positions.getOrDefault(model, 0L);
    }

    @Override
    public void save(ModelName model, long sequence) {
        CursorPositions.check(model, sequence);
        positions.put(model, sequence);
    }

    @Override
    public Map<ModelName, Long> positions() {
        return Map.copyOf(new TreeMap<>(positions));
    }
}
