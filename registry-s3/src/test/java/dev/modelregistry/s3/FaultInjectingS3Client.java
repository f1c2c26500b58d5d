package dev.modelregistry.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * A client that breaks on purpose, around a real one: a PUT that fails before it is sent, or is
 * performed and then reported as a reset connection; a failing multipart part; a GET whose body
 * breaks mid-stream or that fails outright. It also counts requests by operation.
 */
final class FaultInjectingS3Client extends DelegatingS3Client {
    enum PutFault { NONE, BEFORE_SEND, AFTER_SEND }

    private final S3Client raw;
    private volatile PutFault putFault = PutFault.NONE;
    private volatile Predicate<String> putKeys = k -> false;
    private final AtomicInteger putFaultsLeft = new AtomicInteger();
    private volatile Consumer<String> beforePutFault = k -> { };
    private volatile int failingPartNumber = -1;
    private volatile boolean failGets;
    private volatile long breakBodiesAfter = -1;
    private final AtomicInteger bodyBreaksLeft = new AtomicInteger();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    FaultInjectingS3Client(S3Client raw) {
        super(raw);
        this.raw = raw;
    }

    /** The next {@code times} create-only PUTs of keys matching {@code keys} fail this way (a negative count: all of them). */
    FaultInjectingS3Client failPuts(PutFault fault, Predicate<String> keys, int times) {
        this.putKeys = keys;
        this.putFaultsLeft.set(times);
        this.putFault = fault;
        return this;
    }

    /** Runs just before an injected PUT failure, e.g. to let a competitor write the key. */
    FaultInjectingS3Client beforePutFault(Consumer<String> action) {
        this.beforePutFault = action;
        return this;
    }

    FaultInjectingS3Client failUploadOfPart(int partNumber) {
        this.failingPartNumber = partNumber;
        return this;
    }

    FaultInjectingS3Client failGets(boolean fail) {
        this.failGets = fail;
        return this;
    }

    /** The next {@code times} GET bodies throw an I/O error after {@code bytes} bytes. */
    FaultInjectingS3Client breakBodies(long bytes, int times) {
        this.breakBodiesAfter = bytes;
        this.bodyBreaksLeft.set(times);
        return this;
    }

    void heal() {
        putFault = PutFault.NONE;
        failingPartNumber = -1;
        failGets = false;
        bodyBreaksLeft.set(0);
    }

    int count(String operation) {
        return calls.getOrDefault(operation, new AtomicInteger()).get();
    }

    void resetCounts() {
        calls.clear();
    }

    private void counted(String operation) {
        calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    private boolean takePutFault(String key) {
        if (putFault == PutFault.NONE || !putKeys.test(key)) {
            return false;
        }
        int left = putFaultsLeft.getAndUpdate(n -> n > 0 ? n - 1 : n);
        return left != 0;
    }

    private static SdkClientException reset(String what) {
        return SdkClientException.create("Injected fault: connection reset " + what);
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        counted("PutObject");
        PutFault fault = putFault;
        if (takePutFault(request.key())) {
            beforePutFault.accept(request.key());
            if (fault == PutFault.AFTER_SEND) {
                raw.putObject(request, body);
                throw reset("after the request was sent");
            }
            throw reset("before the request was sent");
        }
        return raw.putObject(request, body);
    }

    @Override
    public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
        counted("UploadPart");
        if (request.partNumber() == failingPartNumber) {
            throw reset("while uploading part " + request.partNumber());
        }
        return raw.uploadPart(request, body);
    }

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
        counted("GetObject");
        if (failGets) {
            throw reset("while reading " + request.key());
        }
        long breakAfter = breakBodiesAfter;
        if (breakAfter < 0 || bodyBreaksLeft.getAndUpdate(n -> n > 0 ? n - 1 : n) <= 0) {
            return raw.getObject(request, transformer);
        }
        return raw.getObject(request, (response, body) ->
                transformer.transform(response, AbortableInputStream.create(new BreakingStream(body, breakAfter), body::abort)));
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        counted("HeadObject");
        return raw.headObject(request);
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        counted("ListObjectsV2");
        return raw.listObjectsV2(request);
    }

    @Override
    public void close() {
        // The raw client belongs to whoever made it.
    }

    /** Passes {@code limit} bytes, then fails as a reset connection would. */
    private static final class BreakingStream extends InputStream {
        private final InputStream in;
        private long left;

        BreakingStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw new IOException("Injected fault: connection reset mid-body");
            }
            left--;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("Injected fault: connection reset mid-body");
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
