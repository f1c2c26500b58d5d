package dev.modelregistry.sqlite;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelRegistryBuilder;
import dev.modelregistry.fs.FileSystemArtifactStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The embedded default: a registry kept in one folder, with the metadata in {@code registry.db}
 * (SQLite, see {@link SqliteEventStore}) and the artifacts in a content-addressed {@code artifacts/}
 * folder beside it. Several processes may open the same folder at once.
 *
 * <pre>{@code
 * try (ModelRegistry registry = SqliteRegistry.open(Path.of("/var/lib/models"))) { ... }
 *
 * ModelRegistry tuned = SqliteRegistry.options(Path.of("/var/lib/models"))
 *     .artifacts(Path.of("/mnt/bulk/model-artifacts"))
 *     .durability(Durability.NORMAL)
 *     .builder()                        // a ModelRegistryBuilder: add a clock, a lifecycle…
 *     .lifecycle(myLifecycle)
 *     .build();
 * }</pre>
 */
public final class SqliteRegistry {
    /** The database file's name inside the registry folder, unless placed elsewhere. */
    public static final String DATABASE_FILE = "registry.db";
    /** The artifact folder's name inside the registry folder, unless placed elsewhere. */
    public static final String ARTIFACTS_FOLDER = "artifacts";

    private SqliteRegistry() {
    }

    /** A registry in {@code directory} (created if needed) with default settings. */
    public static ModelRegistry open(Path directory) {
        return options(directory).open();
    }

    /**
     * A {@link ModelRegistryBuilder} whose stores are already open on {@code directory}: set a
     * clock, a lifecycle or anything else the builder offers, except the stores.
     */
    public static ModelRegistryBuilder builder(Path directory) {
        return options(directory).builder();
    }

    /** Settings for a registry in {@code directory}; each may be given once. */
    public static Options options(Path directory) {
        return new Options(directory);
    }

    /** Where the database and the artifacts go, and how durable writes are. */
    public static final class Options {
        private final Path directory;
        private Path database;
        private Path artifacts;
        private Durability durability;
        private Duration busyTimeout;

        private Options(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
        }

        /** The database file; {@code directory/registry.db} unless given. */
        public Options database(Path file) {
            requireUnset(database, "database");
            this.database = Objects.requireNonNull(file, "database");
            return this;
        }

        /** The artifact folder; {@code directory/artifacts} unless given. */
        public Options artifacts(Path folder) {
            requireUnset(artifacts, "artifacts");
            this.artifacts = Objects.requireNonNull(folder, "artifacts");
            return this;
        }

        /** {@link Durability#FULL} unless given. */
        public Options durability(Durability durability) {
            requireUnset(this.durability, "durability");
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        /** How long a write waits for another writer; {@link SqliteEventStore#DEFAULT_BUSY_TIMEOUT} unless given. */
        public Options busyTimeout(Duration timeout) {
            requireUnset(busyTimeout, "busyTimeout");
            this.busyTimeout = Objects.requireNonNull(timeout, "busyTimeout");
            return this;
        }

        /** Opens both stores and returns a builder holding them; the registry it builds closes them. */
        public ModelRegistryBuilder builder() {
            SqliteEventStore.Builder store = SqliteEventStore.builder(database != null ? database : directory.resolve(DATABASE_FILE));
            if (durability != null) {
                store.durability(durability);
            }
            if (busyTimeout != null) {
                store.busyTimeout(busyTimeout);
            }
            SqliteEventStore events = store.open();
            try {
                FileSystemArtifactStore files = FileSystemArtifactStore.open(artifacts != null ? artifacts : directory.resolve(ARTIFACTS_FOLDER));
                return ModelRegistry.builder().eventStore(events).artifactStore(files);
            } catch (RuntimeException e) {
                events.close();
                throw e;
            }
        }

        /** Opens the registry with these settings. */
        public ModelRegistry open() {
            return builder().build();
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }
    }
}
