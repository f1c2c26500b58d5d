package dev.modelregistry.s3;

import com.adobe.testing.s3mock.junit5.S3MockExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One S3Mock per test JVM, started in-process on first use and spoken to over HTTP with the real
 * AWS SDK. Tests keep apart by using a fresh key prefix each.
 */
public final class S3MockServer {
    public static final String BUCKET = "registry-test";
    private static final S3MockExtension MOCK = start();
    private static final S3Client CLIENT = MOCK.createS3ClientV2();

    private S3MockServer() {
    }

    private static S3MockExtension start() {
        // Spring Boot's graceful shutdown would keep the forked test JVM alive for its 30 s timeout.
        S3MockExtension mock = (S3MockExtension) S3MockExtension.builder().silent().withSecureConnection(false)
                .withInitialBuckets(BUCKET).withProperty("server.shutdown", "immediate").build();
        mock.beforeAll(null);
        return mock;
    }

    /** The shared raw client; tests must not close it. */
    public static S3Client client() {
        return CLIENT;
    }

    /** Where S3Mock listens (plain HTTP), for clients built from an {@link S3Config}. */
    static java.net.URI endpoint() {
        return java.net.URI.create(MOCK.getServiceEndpoint());
    }

    /** A new client of its own, as another machine would have. The caller closes it. */
    static S3Client newClient() {
        return MOCK.createS3ClientV2();
    }

    public static String uniquePrefix(String what) {
        return "t/" + what + "-" + UUID.randomUUID();
    }

    /** Every key under {@code prefix}, sorted. */
    static List<String> keysUnder(String prefix) {
        List<String> keys = new ArrayList<>();
        for (ListObjectsV2Response page : CLIENT.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix))) {
            for (S3Object o : page.contents()) {
                keys.add(o.key());
            }
        }
        keys.sort(null);
        return keys;
    }

    /** Keys of multipart uploads still open under {@code prefix}. */
    static List<String> openUploadsUnder(String prefix) {
        return CLIENT.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads().stream()
                .map(u -> u.key()).toList();
    }
}
