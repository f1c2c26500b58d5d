package dev.modelregistry.serving;

import dev.modelregistry.internal.util.DurableFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelregistry.ModelName;
import dev.modelregistry.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Cursor positions in one JSON object {@code {"model": sequence, …}}; see {@link CursorStore#file(Path)}. */
final class FileCursorStore implements CursorStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<ModelName, Long> positions = new TreeMap<>();

    private FileCursorStore(Path file) {
        this.file = file;
    }

    static FileCursorStore open(Path file) {
        FileCursorStore store = new FileCursorStore(file.toAbsolutePath());
        store.read();
        return store;
    }

    private void read() {
        Map<String, Long> stored;
        try {
            stored = JSON.readValue(Files.readAllBytes(file), new TypeReference<LinkedHashMap<String, Long>>() { });
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new StorageException("Cannot read cursor file " + file + ": " + e.getMessage(), e);
        }
        stored.forEach((model, sequence) -> {
            ModelName name = ModelName.of(model);
            CursorPositions.check(name, sequence == null ? -1 : sequence);
            positions.put(name, sequence);
        });
    }

    @Override
    public synchronized long position(ModelName model) {
        return positions.getOrDefault(model, 0L);
    }

    @Override
    public synchronized void save(ModelName model, long sequence) {
        CursorPositions.check(model, sequence);
        Long before = positions.put(model, sequence);
        try {
            write();
        } catch (IOException | RuntimeException e) {
            if (before == null) {
                positions.remove(model);
            } else {
                positions.put(model, before);
            }
            throw new StorageException("Cannot save cursor " + model + "=" + sequence + " to " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Map<ModelName, Long> positions() {
        return Collections.unmodifiableMap(new TreeMap<>(positions));
    }

    private void write() throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        positions.forEach((k, v) -> out.put(k.value(), v));
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".partial");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(out));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            DurableFiles.moveAtomically(temp, file);
            DurableFiles.forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public String toString() {
        return "FileCursorStore[" + file + "]";
    }
}
