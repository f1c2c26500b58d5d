package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelregistry.StorageException;
import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.BadInput;
import dev.modelregistry.testkit.RegistryBadInputTests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The bad-input corpus on SQLite, plus database files that are not a registry: text, zeros, a
 * truncated registry, a registry with its header overwritten. Opening one must fail with
 * {@link StorageException} naming the file and leave it byte for byte as it was.
 */
class SqliteBadInputTest extends RegistryBadInputTests {
    @Override
    protected Backend openBackend(Path dir) {
        return () -> SqliteRegistry.builder(dir);
    }

    @Override
    protected List<BadInput> backendInputs() {
        return List.of(
                notARegistry("a database file of plain text", dir -> "model,version\nfraud,1.0.0\n".getBytes(StandardCharsets.UTF_8)),
                notARegistry("a database file of 64 KiB of zeros", dir -> new byte[64 * 1024]),
                notARegistry("a registry database truncated to its first 1,000 bytes", dir -> Arrays.copyOf(realRegistry(dir), 1000)),
                notARegistry("a registry database with a corrupted header", dir -> {
                    byte[] db = realRegistry(dir);
                    Arrays.fill(db, 0, 16, (byte) 'X');
                    return db;
                }));
    }

    private interface Content {
        byte[] of(Path dir) throws Exception;
    }

    private BadInput notARegistry(String description, Content content) {
        return BadInput.of(description, StorageException.class, SqliteRegistry.DATABASE_FILE, registry -> {
            Path dir = Files.createTempDirectory(tempDir, "not-a-registry");
            byte[] bytes = content.of(dir);
            Path db = dir.resolve(SqliteRegistry.DATABASE_FILE);
            Files.write(db, bytes);
            try {
                SqliteRegistry.open(dir).close();
            } finally {
                assertThat(Files.readAllBytes(db)).as("the file after the refusal").isEqualTo(bytes);
            }
        });
    }

    /** The bytes of a real registry database with one version, made in a folder of its own. */
    private static byte[] realRegistry(Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        try (var r = SqliteRegistry.open(source)) {
            r.register(ADMIN, dev.modelregistry.Registration.of("m").version("1.0.0").build());
        }
        return Files.readAllBytes(source.resolve(SqliteRegistry.DATABASE_FILE));
    }
}
