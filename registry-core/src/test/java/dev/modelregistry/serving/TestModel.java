package dev.modelregistry.serving;

import dev.modelregistry.ModelVersion;
import dev.modelregistry.SemVer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** A model object that remembers whether (and how often) it was closed, and refuses to work when closed. */
final class TestModel implements AutoCloseable {
    final SemVer version;
    final String content;
    final AtomicInteger closes = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);

    TestModel(SemVer version, String content) {
        this.version = version;
        this.content = content;
    }

    static TestModel load(Path file, ModelVersion version) throws Exception {
        return new TestModel(version.version(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A stand-in for inference: fails if the model was closed. */
    String predict() {
        if (closes.get() > 0) {
            throw new IllegalStateException("model " + version + " used after close");
        }
        return content;
    }

    boolean isClosed() {
        return closes.get() > 0;
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        closed.countDown();
    }
}
