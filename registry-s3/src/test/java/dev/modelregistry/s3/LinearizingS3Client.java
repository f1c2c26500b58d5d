package dev.modelregistry.s3;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.DelegatingS3Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A test double for the race tests: a client of S3Mock whose create-only writes ({@code PutObject},
 * {@code CopyObject} and {@code CompleteMultipartUpload} with {@code If-None-Match: *}) are
 * linearized per key through a shared {@link Linearizer}: under the key's lock it checks existence
 * and answers 412 itself, as S3 would, and otherwise lets S3Mock write. Every other request passes
 * straight through, so the wire protocol is still S3Mock's. Protocol tests use the plain S3Mock
 * client; only tests of racing writers need this.
 */
final class LinearizingS3Client extends DelegatingS3Client {
    private final S3Client raw;
    private final Linearizer linearizer;

    LinearizingS3Client(S3Client raw, Linearizer linearizer) {
        super(raw);
        this.raw = raw;
        this.linearizer = linearizer;
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        if (!"*".equals(request.ifNoneMatch())) {
            return raw.putObject(request, body);
        }
        synchronized (linearizer.lockFor(request.bucket(), request.key())) {
            requireAbsent(request.bucket(), request.key());
            return raw.putObject(request, body);
        }
    }

    @Override
    public CopyObjectResponse copyObject(CopyObjectRequest request) {
        if (!"*".equals(request.ifNoneMatch())) {
            return raw.copyObject(request);
        }
        synchronized (linearizer.lockFor(request.destinationBucket(), request.destinationKey())) {
            requireAbsent(request.destinationBucket(), request.destinationKey());
            return raw.copyObject(request);
        }
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(CompleteMultipartUploadRequest request) {
        if (!"*".equals(request.ifNoneMatch())) {
            return raw.completeMultipartUpload(request);
        }
        synchronized (linearizer.lockFor(request.bucket(), request.key())) {
            requireAbsent(request.bucket(), request.key());
            return raw.completeMultipartUpload(request);
        }
    }

    private void requireAbsent(String bucket, String key) {
        try {
            raw.headObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return;
            }
            throw e;
        }
        throw Linearizer.preconditionFailed(key);
    }

    @Override
    public void close() {
        // The raw client belongs to whoever made it.
    }
}
