package dev.modelregistry.serving;

import dev.modelregistry.ModelName;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where an {@link EventFeed} remembers, per model, the sequence number of the last log entry its
 * listener handled, so that it resumes there after a restart. Implementations must be thread-safe
 * and make {@link #save} durable before it returns when they promise to survive restarts.
 */
public interface CursorStore {

    /** The last handled sequence number of {@code model}'s log; 0 when none was saved. */
    long position(ModelName model);

    /** Records that {@code model}'s entries up to {@code sequence} were handled. */
    void save(ModelName model, long sequence);

    /** Every saved position. */
    Map<ModelName, Long> positions();

    /** Positions kept in memory: lost with the process. */
    static CursorStore inMemory() {
        return new InMemoryCursorStore();
    }

    /**
     * Positions kept in one JSON file, replaced atomically (temporary file, forced to disk, renamed)
     * on every save, so a crash leaves the previous or the new positions, never a mix. Existing
     * positions are read when opened. One feed per file: two processes sharing it would overwrite
     * each other's positions.
     *
     * @throws dev.modelregistry.StorageException the file exists but cannot be read or parsed
     */
    static CursorStore file(Path file) {
        return FileCursorStore.open(file);
    }
}
