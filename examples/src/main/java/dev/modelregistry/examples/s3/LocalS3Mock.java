package dev.modelregistry.examples.s3;

import com.adobe.testing.s3mock.S3MockApplication;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * S3Mock started in this JVM on a free port, speaking plain HTTP: a stand-in bucket when none is
 * configured. S3Mock is a {@code provided} dependency of the examples, so this class is only loaded
 * (and S3Mock only needed on the class path) when it is used.
 */
final class LocalS3Mock implements AutoCloseable {
    /** Tomcat inside S3Mock logs its life cycle at INFO through java.util.logging; kept referenced so the level sticks. */
    private static final Logger TOMCAT_LOGS = Logger.getLogger("org.apache");

    private final S3MockApplication app;

    private LocalS3Mock(S3MockApplication app) {
        this.app = app;
    }

    static LocalS3Mock start(String bucket) {
        TOMCAT_LOGS.setLevel(Level.WARNING);
        Map<String, Object> properties = new HashMap<>();
        properties.put(S3MockApplication.PROP_HTTP_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_HTTPS_PORT, S3MockApplication.RANDOM_PORT);
        properties.put(S3MockApplication.PROP_INITIAL_BUCKETS, bucket);
        properties.put(S3MockApplication.PROP_SECURE_CONNECTION, false);
        properties.put(S3MockApplication.PROP_SILENT, true);
        // Spring Boot's graceful shutdown would keep the JVM alive for 30 s after the example ends.
        properties.put("server.shutdown", "immediate");
        return new LocalS3Mock(S3MockApplication.start(properties));
    }

    @SuppressWarnings("removal") // S3Mock 4.x deprecates it without a replacement for the plain-HTTP port
    URI endpoint() {
        return URI.create("http://localhost:" + app.getHttpPort());
    }

    @Override
    public void close() {
        app.stop();
    }
}
