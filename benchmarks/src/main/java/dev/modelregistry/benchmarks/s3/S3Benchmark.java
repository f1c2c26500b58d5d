package dev.modelregistry.benchmarks.s3;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Sha256;
import dev.modelregistry.s3.S3Config;
import dev.modelregistry.s3.S3Registry;
import dev.modelregistry.ArtifactStore;
import dev.modelregistry.StoredArtifact;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 backend against raw AWS SDK calls on the same endpoint, in the same run: storing an
 * artifact (hashed into a spool file as it streams, then one create-only {@code PutObject} to its
 * content address; and, without spooling, a multipart upload to a temporary key copied into its
 * content address) against one raw {@code putObject} of the same bytes, with the multipart upload
 * and the copy also measured alone to show where the streaming path's time goes;
 * reading it back verified against a raw {@code getObject}; and registering a metadata-only version
 * (a create-only log object, after reading the log's end) against one raw create-only
 * {@code putObject} of a small JSON document.
 *
 * <p>The endpoint is an S3Mock server that this benchmark starts as a child process from its
 * executable jar ({@code -Dbench.s3mock.jar}, by default the copy Maven keeps in
 * {@code ~/.m2}; fetch it with
 * {@code mvn dependency:get -Dartifact=com.adobe.testing:s3mock:4.11.0:jar:exec}), or any endpoint
 * given as {@code -Dbench.s3.endpoint=http://host:port} with a bucket {@code bench}. S3Mock writes to
 * local disk, so both sides of every ratio pay the same storage cost.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class S3Benchmark {
    private static final String BUCKET = "bench";
    private static final int PART = 8 * 1024 * 1024;

    @Param({"16777216"})
    public int artifactBytes;

    private Process server;
    private S3Client client;
    private ArtifactStore store;
    private ArtifactStore streamingStore;
    private ModelRegistry registry;
    private byte[] content;
    private StoredArtifact stored;
    private String rawKey;
    private long counter;
    private final Principal pipeline = Principal.of("bench");

    @Setup
    public void start() throws Exception {
        URI endpoint = endpoint();
        client = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .build();
        awaitBucket();
        S3Config config = S3Config.builder(BUCKET).prefix("bench-" + UUID.randomUUID()).client(client).build();
        store = S3Registry.artifactStore(config);
        streamingStore = S3Registry.artifactStore(S3Config.builder(BUCKET).prefix("bench-" + UUID.randomUUID()).client(client)
                .singlePutLimit(0).build());
        registry = S3Registry.builder(config).build();
        content = new byte[artifactBytes];
        new Random(42).nextBytes(content);
        stored = store.put(new ByteArrayInputStream(content));
        rawKey = "raw/" + UUID.randomUUID();
        client.putObject(b -> b.bucket(BUCKET).key(rawKey), RequestBody.fromBytes(content));
    }

    private URI endpoint() throws IOException {
        String given = System.getProperty("bench.s3.endpoint");
        if (given != null) {
            return URI.create(given);
        }
        Path jar = Path.of(System.getProperty("bench.s3mock.jar", System.getProperty("user.home")
                + "/.m2/repository/com/adobe/testing/s3mock/4.11.0/s3mock-4.11.0-exec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No S3 endpoint: give -Dbench.s3.endpoint, or fetch S3Mock's executable jar with "
                    + "mvn dependency:get -Dartifact=com.adobe.testing:s3mock:4.11.0:jar:exec (expected at " + jar + ")");
        }
        int port = freePort();
        // S3Mock 4 reads its plain-HTTP port from com.adobe.testing.s3mock.httpPort (not http.port) and
        // also serves HTTPS on server.port, which is moved off its fixed default too.
        server = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString(), "--com.adobe.testing.s3mock.httpPort=" + port,
                "--server.port=" + freePort(),
                "--com.adobe.testing.s3mock.store.initialBuckets=" + BUCKET, "--logging.level.root=WARN")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return URI.create("http://localhost:" + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits (at most a minute) until the server answers for the bucket. */
    private void awaitBucket() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (true) {
            try {
                client.headBucket(b -> b.bucket(BUCKET));
                return;
            } catch (RuntimeException notYet) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("S3 endpoint did not come up", notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    @TearDown
    public void stop() {
        registry.close();
        store.close();
        streamingStore.close();
        client.close();
        if (server != null) {
            server.destroy();
        }
    }

    /** New bytes every time (the first eight bytes count up), so content addressing cannot skip the upload. */
    private byte[] fresh() {
        long n = ++counter;
        for (int i = 0; i < 8; i++) {
            content[i] = (byte) (n >>> (8 * i));
        }
        return content;
    }

    @Benchmark
    public StoredArtifact artifactPut() {
        return store.put(new ByteArrayInputStream(fresh()));
    }

    /** The store without a spool file: multipart upload to a temporary key, hashed as it streams, then a copy. */
    @Benchmark
    public StoredArtifact artifactPutStreaming() {
        return streamingStore.put(new ByteArrayInputStream(fresh()));
    }

    @Benchmark
    public Object rawPutObject() {
        return client.putObject(b -> b.bucket(BUCKET).key("raw/" + UUID.randomUUID()), RequestBody.fromBytes(fresh()));
    }

    /** Breakdown: the multipart upload alone (same part size as the store, parts one after another), no hashing, no copy. */
    @Benchmark
    public Object rawMultipartPut() {
        String key = "raw-mp/" + UUID.randomUUID();
        byte[] bytes = fresh();
        String uploadId = client.createMultipartUpload(b -> b.bucket(BUCKET).key(key)).uploadId();
        java.util.List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = new java.util.ArrayList<>();
        for (int off = 0, n = 1; off < bytes.length; off += PART, n++) {
            int len = Math.min(PART, bytes.length - off);
            int number = n;
            String etag = client.uploadPart(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes, off, len))).eTag();
            parts.add(software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(n).eTag(etag).build());
        }
        return client.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
    }

    /** Breakdown: a server-side copy of the artifact to a new key, as the store does once the digest is known. */
    @Benchmark
    public Object rawCopyObject() {
        return client.copyObject(b -> b.sourceBucket(BUCKET).sourceKey(rawKey).destinationBucket(BUCKET)
                .destinationKey("raw-copy/" + UUID.randomUUID()).ifNoneMatch("*"));
    }

    @Benchmark
    public long artifactGetVerified() throws IOException {
        try (InputStream in = store.open(stored.sha256())) {
            return in.transferTo(OutputStreamSink.INSTANCE);
        }
    }

    @Benchmark
    public long rawGetObject() throws IOException {
        try (InputStream in = client.getObject(b -> b.bucket(BUCKET).key(rawKey))) {
            return in.transferTo(OutputStreamSink.INSTANCE);
        }
    }

    @Benchmark
    public ModelVersion registerMetadataOnly() {
        return registry.register(pipeline, Registration.of("model-" + (counter++ % 64)).bump(dev.modelregistry.Bump.PATCH)
                .metric("auc", 0.9).label("team", "bench").build());
    }

    @Benchmark
    public Object rawCreateOnlyPut() {
        String json = "{\"model\":\"m\",\"sequence\":" + (++counter) + ",\"hash\":\"" + Sha256.digest(new byte[8]) + "\"}";
        return client.putObject(b -> b.bucket(BUCKET).key("raw-log/" + UUID.randomUUID() + ".json").ifNoneMatch("*"),
                RequestBody.fromString(json, StandardCharsets.UTF_8));
    }

    /** Discards what is written, so reads are measured without keeping the bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
