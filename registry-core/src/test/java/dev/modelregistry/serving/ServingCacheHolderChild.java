package dev.modelregistry.serving;

import dev.modelregistry.ArtifactRef;
import dev.modelregistry.Sha256;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Another process for {@link LocalArtifactCacheTest}: fetches and holds an artifact in the cache
 * folder {@code args[0]} (content {@code args[1]}, ISO-8859-1), prints {@code HOLDING <hex>}, and
 * releases it when its standard input closes, printing {@code RELEASED}.
 */
public final class ServingCacheHolderChild {
    private ServingCacheHolderChild() {
    }

    public static void main(String[] args) throws Exception {
        LocalArtifactCache cache = LocalArtifactCache.open(Path.of(args[0]), 0);
        byte[] content = args[1].getBytes(StandardCharsets.ISO_8859_1);
        ArtifactRef ref = new ArtifactRef("model.bin", URI.create("mem:x"), Sha256.digest(content), content.length, null);
        try (CachedArtifact held = cache.fetch(ref, () -> new ByteArrayInputStream(content))) {
            System.out.println("HOLDING " + held.sha256().hex());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold until the parent closes our input.
            }
        }
        System.out.println("RELEASED");
        System.out.flush();
    }
}
