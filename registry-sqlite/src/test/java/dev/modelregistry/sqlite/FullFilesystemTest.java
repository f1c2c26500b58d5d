package dev.modelregistry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.RegistryException;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.StorageStateUnknownException;
import dev.modelregistry.VersionQuery;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The disk really runs out of space: the registry lives on a 6 MiB tmpfs and registers versions
 * with artifacts until the filesystem is full. {@code DiskFullFaultTest} injects the failure at
 * every write step; this one lets the kernel refuse a write wherever it happens to, SQLite's own
 * files included. Mounting needs root (or a container that allows it): where the machine does not
 * allow one, the test is skipped, saying why.
 */
@DisplayName("a real filesystem that runs out of space (a 6 MiB tmpfs, where the machine allows mounting one)")
class FullFilesystemTest {
    private static final Principal ADMIN = Principal.of("root", "admin");
    private static final String MODEL = "fraud-detector";
    private static final int ARTIFACT_BYTES = 400 * 1024;

    @TempDir
    Path tempDir;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mountSmallFilesystem() throws Exception {
        mountPoint = Files.createDirectories(tempDir.resolve("small"));
        String output = run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mountPoint.toString());
        assumeTrue(output == null, "cannot mount a size-limited tmpfs on this machine: " + output);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            run("umount", "-l", mountPoint.toString());
        }
    }

    /** Runs a command; null when it succeeded, else what it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        byte[] printed = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        return p.exitValue() == 0 ? null : new String(printed, StandardCharsets.UTF_8).strip() + " (exit " + p.exitValue() + ")";
    }

    @Test
    @DisplayName("fills up with a typed error, loses no acknowledged write, shows nothing half-written, and works again once space is freed")
    void fillsUpAndRecovers() throws Exception {
        Path filler = mountPoint.resolve("filler.bin");
        Files.write(filler, TestBytes.random(0, 1024 * 1024)); // freed later, to show the registry recovers in place
        Path registryDir = mountPoint.resolve("registry");

        List<SemVer> acknowledged = new ArrayList<>();
        RegistryException failure = null;
        SemVer failedVersion = null;
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            for (int i = 1; i <= 100 && failure == null; i++) {
                SemVer version = SemVer.of(1, i, 0);
                try {
                    registry.register(ADMIN, Registration.of(MODEL).version(version.toString())
                            .artifact("model.bin", "application/octet-stream", TestBytes.random(i, ARTIFACT_BYTES))
                            .metric("auc", 0.8).build());
                    acknowledged.add(version);
                    registry.promote(ADMIN, MODEL, version, Stage.STAGING, "smoke tests");
                } catch (RegistryException e) {
                    failure = e;
                    failedVersion = version;
                }
            }
        }
        assertThat(failure).as("a 6 MiB filesystem fills up within 100 versions of 400 KiB").isNotNull();
        assertThat(failure.getMessage()).as("the error says what failed").isNotBlank();
        assertThat(acknowledged).as("some versions fit before the filesystem filled").isNotEmpty();

        // Then the database itself: versions without artifacts, each with a 60,000-character
        // description, until SQLite's own writes (log row, query rows, WAL) find no space either.
        RegistryException databaseFull = null;
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            for (int i = 1; i <= 2_000 && databaseFull == null; i++) {
                SemVer version = SemVer.of(1, 0, i);
                try {
                    registry.register(ADMIN, Registration.of(MODEL).version(version.toString())
                            .description("d".repeat(60_000) + i).build());
                    acknowledged.add(version);
                } catch (RegistryException e) {
                    databaseFull = e;
                    if (e instanceof StorageStateUnknownException) {
                        failedVersion = version;
                        failure = e;
                    }
                }
            }
        } catch (RegistryException closingOnAFullDisk) {
            // Closing may fail too (a final checkpoint); the reopen below is what must work.
        }
        assertThat(databaseFull).as("the database's own writes fill the filesystem within 2,000 versions").isNotNull();
        assertThat(databaseFull.getMessage()).contains("registry.db");
        assertThat(databaseFull).as("a commit SQLite refused for want of space is a definite failure: it read the log back")
                .isNotInstanceOf(StorageStateUnknownException.class);

        Files.delete(filler);
        try (ModelRegistry registry = SqliteRegistry.open(registryDir)) {
            assertThat(registry.verify().intact()).as("the log verifies after the filesystem filled").isTrue();
            List<SemVer> present = registry.search(MODEL, VersionQuery.all()).items().stream().map(ModelVersion::version).toList();
            assertThat(present).containsAll(acknowledged);
            List<SemVer> unacknowledged = present.stream().filter(v -> !acknowledged.contains(v)).toList();
            if (failure instanceof StorageStateUnknownException) {
                assertThat(unacknowledged).as("only the write whose outcome was unknown may be there").isSubsetOf(List.of(failedVersion));
            } else {
                assertThat(unacknowledged).as("a failed registration left no version (%s)", failure.toString()).isEmpty();
            }
            for (SemVer v : present) {
                if (v.patch() != 0) {
                    continue; // the metadata-only versions
                }
                int seed = v.minor();
                try (InputStream in = registry.openArtifact(MODEL, v, "model.bin")) {
                    assertThat(in.readAllBytes()).as("artifact of %s, whole and verified", v).isEqualTo(TestBytes.random(seed, ARTIFACT_BYTES));
                }
            }
            SemVer next = SemVer.of(2, 0, 0);
            registry.register(ADMIN, Registration.of(MODEL).version(next.toString())
                    .artifact("model.bin", "application/octet-stream", TestBytes.random(2_000, 64 * 1024)).build());
            registry.promote(ADMIN, MODEL, next, Stage.STAGING, "space freed");
            assertThat(registry.verify().intact()).isTrue();
        }
        try (ModelRegistry reopened = SqliteRegistry.open(registryDir)) {
            assertThat(reopened.findCurrent(MODEL, Stage.STAGING).map(ModelVersion::version)).isPresent();
            assertThat(reopened.search(MODEL, VersionQuery.all()).items()).extracting(ModelVersion::version).contains(SemVer.of(2, 0, 0));
        }
    }
}
