package dev.modelregistry.testkit.contract;

import dev.modelregistry.ArtifactStore;
import dev.modelregistry.Sha256;
import dev.modelregistry.fs.FileSystemArtifactStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The artifact store contract on a local folder: content files are {@code sha256/ab/abcdef…},
 * anything else in the folder (a {@code tmp/*.partial} file) is a leftover. Every instance opened on
 * the folder shares it, as several processes would.
 */
class FileSystemArtifactStoreContractTest extends ArtifactStoreContractTests {
    /** Above the store's copy buffer of 64 KiB, over several buffers and not a multiple of one. */
    private static final int SEVERAL_BUFFERS = 3 * 64 * 1024 + 5;

    @Override
    protected ArtifactStore openStore(Path dir) {
        return FileSystemArtifactStore.open(dir);
    }

    @Override
    protected boolean supportsSecondInstance() {
        return true;
    }

    @Override
    protected List<Integer> thresholdSizes() {
        return List.of(SEVERAL_BUFFERS);
    }

    @Override
    protected Optional<List<String>> storedContent() throws IOException {
        return Optional.of(files().stream().filter(p -> p.startsWith(dir.resolve("sha256"))).map(Path::toString).toList());
    }

    @Override
    protected List<String> leftovers() throws IOException {
        return files().stream().filter(p -> !p.startsWith(dir.resolve("sha256"))).map(Path::toString).toList();
    }

    @Override
    protected boolean corrupt(Sha256 digest) throws IOException {
        Path file = ((FileSystemArtifactStore) store).pathOf(digest);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        return true;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
