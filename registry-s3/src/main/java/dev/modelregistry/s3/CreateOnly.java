package dev.modelregistry.s3;

import dev.modelregistry.StorageStateUnknownException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A create-only write ({@code PutObject} with {@code If-None-Match: *}) whose outcome is always
 * decided: created by this call, or taken by someone else, or {@link StorageStateUnknownException}.
 *
 * <p>Every write carries a random write id in its user metadata. When the answer is lost (I/O
 * error, timeout, 5xx) the identical request is sent again: create-only makes that safe, since at
 * most one of the attempts can create the key. A 412 — which is also what a retry of a write that
 * did land gets — is resolved by reading the object back: the same bytes with the same write id are
 * ours, anything else is another writer's. A write that was certainly not performed (the connection
 * was never made, S3 throttled it) is a plain {@link dev.modelregistry.StorageException}. Only when
 * some attempt may have been performed, none got an answer and the key is still absent is the
 * outcome unknown, because a request still in flight may yet create it.
 */
final class CreateOnly {
    static final String WRITE_ID = "registry-write-id";

    enum Outcome { CREATED, TAKEN }

    private final S3Client s3;
    private final String bucket;
    private final int attempts;

    CreateOnly(S3Client s3, String bucket, int attempts) {
        this.s3 = s3;
        this.bucket = bucket;
        this.attempts = attempts;
    }

    Outcome create(String key, byte[] body, String contentType) {
        String writeId = UUID.randomUUID().toString();
        SdkException lost = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                s3.putObject(r -> r.bucket(bucket).key(key).ifNoneMatch("*").contentType(contentType)
                        .metadata(Map.of(WRITE_ID, writeId)), RequestBody.fromBytes(body));
                return Outcome.CREATED;
            } catch (SdkException e) {
                if (S3Errors.hasStatus(e, 412)) {
                    return readBack(key, body, writeId, e).orElseThrow(() -> new StorageStateUnknownException(
                            "Create-only write of " + uri(key) + " was refused as existing, but the object cannot be found", e));
                }
                if (S3Errors.mayHaveBeenApplied(e)) {
                    lost = e;
                    continue;
                }
                if (lost == null) {
                    // Never performed (refused, throttled, never connected), and no earlier attempt may have been.
                    throw S3Errors.storage("Cannot write " + uri(key), e);
                }
                // This attempt was refused, but an earlier one may have landed: only the object can tell.
                lost.addSuppressed(e);
                break;
            }
        }
        SdkException cause = lost;
        return readBack(key, body, writeId, cause).orElseThrow(() -> new StorageStateUnknownException(
                "Write of " + uri(key) + " got no answer (" + S3Errors.describe(cause)
                        + ") and the object is absent; a request still in flight may create it", cause));
    }

    /** What the key holds now, compared with this write; empty when it holds nothing. */
    private Optional<Outcome> readBack(String key, byte[] body, String writeId, SdkException after) {
        ResponseBytes<GetObjectResponse> stored;
        try {
            stored = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                return Optional.empty();
            }
            StorageStateUnknownException unknown = new StorageStateUnknownException("Cannot tell whether the write of " + uri(key)
                    + " happened (" + S3Errors.describe(after) + "): reading it back failed: " + S3Errors.describe(e), e);
            unknown.addSuppressed(after);
            throw unknown;
        }
        boolean ours = writeId.equals(stored.response().metadata().get(WRITE_ID)) && Arrays.equals(stored.asByteArrayUnsafe(), body);
        return Optional.of(ours ? Outcome.CREATED : Outcome.TAKEN);
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
