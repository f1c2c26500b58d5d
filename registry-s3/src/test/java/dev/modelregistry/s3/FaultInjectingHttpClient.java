package dev.modelregistry.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Faults on the wire, under the SDK: an HTTP client around a real one that breaks one chosen
 * request (and, if asked, every re-send of it) in one of the ways a network or S3 can. Because it
 * sits below the SDK, the SDK's own retry strategy, backoff and timeouts act on every fault exactly
 * as they would in production; {@link FaultInjectingS3Client} sits above the SDK and bypasses them.
 *
 * <p>It also records every request it sees, named by S3 operation, so a test can enumerate the
 * steps of a write path and then fault each one.
 */
final class FaultInjectingHttpClient implements SdkHttpClient {
    /** The ways a request can fail. */
    enum Kind {
        /** The connection is refused: the request certainly never reached S3. */
        CONNECT_REFUSED(false, false),
        /** S3 performs the request, then the connection resets before the answer arrives. */
        RESET_AFTER_SEND(false, true),
        /** The request is sent but S3 never performs it and never answers (the connection drops). */
        NO_RESPONSE(false, true),
        /** S3 performs the request and the answer never comes: only the SDK's attempt timeout ends the wait. */
        SLOW_RESPONSE(true, true),
        /** S3 refuses the request with 503 SlowDown. */
        THROTTLED_503(true, false),
        /** An S3-compatible server refuses the request with 429 Too Many Requests. */
        THROTTLED_429(true, false);

        /** Faults that only make sense where something is written (reads gain nothing from them). */
        final boolean writesOnly;
        /** Whether the request may have reached S3, so that only looking can tell what happened. */
        final boolean mayBePerformed;

        Kind(boolean writesOnly, boolean mayBePerformed) {
            this.writesOnly = writesOnly;
            this.mayBePerformed = mayBePerformed;
        }
    }

    /** One request as seen on the wire. */
    record Request(int index, String operation, String method, String path, Map<String, List<String>> query) {
        boolean isWrite() {
            return !method.equals("GET") && !method.equals("HEAD");
        }

        boolean sameAs(Request other) {
            return method.equals(other.method) && path.equals(other.path) && query.equals(other.query);
        }

        @Override
        public String toString() {
            return "#" + index + " " + operation + " " + path;
        }
    }

    private final SdkHttpClient delegate;
    private final List<Request> seen = new ArrayList<>();
    private final AtomicInteger faultsInjected = new AtomicInteger();
    private final CountDownLatch healed = new CountDownLatch(1);
    private int counter;
    private int faultAt = -1;
    private Kind kind;
    private boolean everyResend;
    private Request faulted;

    FaultInjectingHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** Restarts request numbering (the next request is number 1) and forgets what was recorded. */
    synchronized void resetRecording() {
        counter = 0;
        seen.clear();
    }

    /**
     * Breaks request number {@code index} (counted since {@link #resetRecording}) with {@code kind};
     * with {@code everyResend}, also every later request with the same method, path and query — the
     * SDK's retries and the store's own re-sends of it.
     */
    synchronized void failRequest(int index, Kind kind, boolean everyResend) {
        this.faultAt = index;
        this.kind = kind;
        this.everyResend = everyResend;
        this.faulted = null;
    }

    /** Stops injecting faults and releases every request held by {@link Kind#SLOW_RESPONSE}. */
    void heal() {
        synchronized (this) {
            faultAt = -1;
            faulted = null;
            kind = null;
        }
        healed.countDown();
    }

    synchronized List<Request> recorded() {
        return List.copyOf(seen);
    }

    int faultsInjected() {
        return faultsInjected.get();
    }

    /** The request that was broken first, if the chosen one was ever sent. */
    synchronized Optional<Request> faulted() {
        return Optional.ofNullable(faulted);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        Kind fault;
        synchronized (this) {
            Request r = describe(++counter, request.httpRequest());
            seen.add(r);
            fault = null;
            if (kind != null && faulted == null && r.index() == faultAt) {
                faulted = r;
                fault = kind;
            } else if (kind != null && faulted != null && everyResend && r.sameAs(faulted)) {
                fault = kind;
            }
        }
        ExecutableHttpRequest real = delegate.prepareRequest(request);
        if (fault == null) {
            return real;
        }
        faultsInjected.incrementAndGet();
        return new Faulty(real, fault, request.httpRequest().method().name());
    }

    /** Names a request by the S3 operation it is, from its method, query and headers. */
    static Request describe(int index, SdkHttpRequest r) {
        Map<String, List<String>> q = r.rawQueryParameters();
        String method = r.method().name();
        String op = switch (method) {
            case "PUT" -> q.containsKey("partNumber") ? (r.firstMatchingHeader("x-amz-copy-source").isPresent() ? "UploadPartCopy" : "UploadPart")
                    : r.firstMatchingHeader("x-amz-copy-source").isPresent() ? "CopyObject" : "PutObject";
            case "POST" -> q.containsKey("uploads") ? "CreateMultipartUpload" : q.containsKey("uploadId") ? "CompleteMultipartUpload"
                    : q.containsKey("delete") ? "DeleteObjects" : "Post";
            case "DELETE" -> q.containsKey("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
            case "GET" -> q.containsKey("uploads") ? "ListMultipartUploads" : q.containsKey("list-type") ? "ListObjectsV2"
                    : q.containsKey("uploadId") ? "ListParts" : "GetObject";
            case "HEAD" -> "HeadObject";
            default -> method;
        };
        return new Request(index, op, method, r.encodedPath(), Map.copyOf(q));
    }

    @Override
    public String clientName() {
        return "FaultInjecting(" + delegate.clientName() + ")";
    }

    @Override
    public void close() {
        heal();
        delegate.close();
    }

    private final class Faulty implements ExecutableHttpRequest {
        private final ExecutableHttpRequest real;
        private final Kind kind;
        private final String method;
        private final CountDownLatch aborted = new CountDownLatch(1);

        Faulty(ExecutableHttpRequest real, Kind kind, String method) {
            this.real = real;
            this.kind = kind;
            this.method = method;
        }

        @Override
        public HttpExecuteResponse call() throws IOException {
            switch (kind) {
                case CONNECT_REFUSED -> throw new ConnectException("Connection refused"); // the JDK's own words
                case NO_RESPONSE -> throw new SocketException("Injected fault: the server closed the connection without answering");
                case THROTTLED_503 -> {
                    return refusal(503, "SlowDown", "Please reduce your request rate.");
                }
                case THROTTLED_429 -> {
                    return refusal(429, "TooManyRequests", "Too many requests.");
                }
                case RESET_AFTER_SEND -> {
                    discard(real.call());
                    throw new SocketException("Injected fault: connection reset after the request was performed");
                }
                case SLOW_RESPONSE -> {
                    discard(real.call());
                    // Hold the answer until the SDK's attempt timeout aborts this request (or the test heals).
                    try {
                        while (aborted.getCount() > 0 && healed.getCount() > 0) {
                            aborted.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new InterruptedIOException("Injected fault: no answer before the request was abandoned");
                }
                default -> throw new IllegalStateException(kind.toString());
            }
        }

        private HttpExecuteResponse refusal(int status, String code, String message) {
            byte[] body = method.equals("HEAD") ? new byte[0]
                    : ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                    + "</Message><RequestId>injected</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
            return HttpExecuteResponse.builder()
                    .response(SdkHttpResponse.builder().statusCode(status).putHeader("Content-Type", "application/xml")
                            .putHeader("Content-Length", Integer.toString(body.length)).build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                    .build();
        }

        private void discard(HttpExecuteResponse response) throws IOException {
            Optional<AbortableInputStream> body = response.responseBody();
            if (body.isPresent()) {
                try (InputStream in = body.get()) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        }

        @Override
        public void abort() {
            aborted.countDown();
            real.abort();
        }
    }
}
