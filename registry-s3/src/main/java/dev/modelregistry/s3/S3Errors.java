package dev.modelregistry.s3;

import dev.modelregistry.StorageException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** How SDK failures map onto the registry's exceptions. */
final class S3Errors {
    private S3Errors() {
    }

    static boolean hasStatus(SdkException e, int status) {
        return e instanceof AwsServiceException s && s.statusCode() == status;
    }

    static boolean isNotFound(SdkException e) {
        return hasStatus(e, 404);
    }

    /**
     * Whether a write that failed this way may nevertheless have been applied: the client never
     * heard an answer (I/O error, timeout, reset), the server failed (5xx) or a concurrent
     * conditional request conflicted (409, which S3 says to retry).
     */
    static boolean mayHaveBeenApplied(SdkException e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        return e instanceof AwsServiceException s && (s.statusCode() >= 500 || s.statusCode() == 409);
    }

    static StorageException storage(String doing, SdkException e) {
        return new StorageException(doing + ": " + describe(e), e);
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return "S3 answered " + s.statusCode() + " " + s.awsErrorDetails().errorCode() + " (" + s.awsErrorDetails().errorMessage() + ")";
        }
        if (e instanceof AwsServiceException s) {
            return "S3 answered " + s.statusCode();
        }
        return e.getMessage();
    }
}
