package dev.modelregistry.s3;

import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of a {@code GetObject} that survives a connection breaking mid-stream: it re-requests
 * the rest with a ranged GET pinned to the first response's ETag (so it can only ever continue the
 * same object), a bounded number of times. The SDK's retries cover failures before the body starts;
 * this covers the body itself, which for a large artifact is most of the time.
 */
final class ResumingInputStream extends InputStream {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String etag;
    private final long size;
    private final int maxResumes;
    private ResponseInputStream<GetObjectResponse> current;
    private long position;
    private int resumes;
    private boolean closed;

    ResumingInputStream(S3Client s3, String bucket, String key, ResponseInputStream<GetObjectResponse> first, long size, int maxResumes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.etag = first.response().eTag();
        this.size = size;
        this.maxResumes = maxResumes;
        this.current = first;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("Stream of s3://" + bucket + "/" + key + " is closed");
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            try {
                int n = current.read(buf, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (IOException | SdkException e) {
                if (position >= size || resumes >= maxResumes) {
                    throw e instanceof IOException io ? io
                            : new IOException("Reading s3://" + bucket + "/" + key + " failed at byte " + position + ": " + e.getMessage(), e);
                }
                resumes++;
                current.abort();
                try {
                    long from = position;
                    current = s3.getObject(r -> r.bucket(bucket).key(key).ifMatch(etag).range("bytes=" + from + "-"));
                } catch (SdkException again) {
                    again.addSuppressed(e);
                    throw new IOException("Cannot resume reading s3://" + bucket + "/" + key + " at byte " + position
                            + ": " + S3Errors.describe(again), again);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (position < size) {
                // Closing the body of an unfinished GET would drain it over the network first.
                current.abort();
            }
            current.close();
        }
    }
}
