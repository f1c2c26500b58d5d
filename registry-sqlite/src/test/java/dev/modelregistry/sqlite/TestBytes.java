package dev.modelregistry.sqlite;

import java.util.Random;

/** Reproducible artifact content for the disk-fault tests: the same seed and size give the same bytes. */
final class TestBytes {
    private TestBytes() {
    }

    static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
