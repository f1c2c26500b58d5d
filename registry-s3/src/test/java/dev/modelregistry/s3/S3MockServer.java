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
 * AWS SDK. Tests keep apart by using a fresh key prefix each; tests that write thousands of objects
 * use a fresh bucket ({@link #newBucket}) as well.
 *
 * <p>Why buckets matter: S3Mock keeps the list of a bucket's keys in one JSON file, which it parses
 * on every request that touches the bucket and rewrites on every new key. Every request therefore
 * costs time in proportion to the number of objects in its bucket, and one bucket shared by the
 * whole module (every test class runs in this one JVM) made every request slower the longer the
 * suite ran: the model-based test alone leaves about 6,000 objects behind. A bucket of its own per
 * sequence or per case keeps each request's cost flat.
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

    /** Creates an empty bucket of its own, named after {@code what}, and returns its name. */
    static String newBucket(String what) {
        String bucket = what + "-" + UUID.randomUUID();
        CLIENT.createBucket(r -> r.bucket(bucket));
        return bucket;
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
