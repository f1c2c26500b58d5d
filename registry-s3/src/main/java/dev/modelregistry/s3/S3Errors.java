package dev.modelregistry.s3;

import dev.modelregistry.StorageException;
import java.net.ConnectException;
import java.net.UnknownHostException;
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
     * Whether a write that failed this way may nevertheless have been applied, by its last attempt
     * or by any earlier one the SDK retried (the SDK attaches those as suppressed exceptions).
     * Applied is possible when the client never heard an answer (I/O error, reset, timeout), the
     * server failed (5xx) or a concurrent conditional request conflicted (409, which S3 says to
     * retry). It is impossible when the connection was never made, or S3 throttled the request
     * (503 SlowDown, 429): a throttled request is refused before it is performed.
     */
    static boolean mayHaveBeenApplied(SdkException e) {
        if (attemptMayHaveBeenApplied(e)) {
            return true;
        }
        for (Throwable earlier : e.getSuppressed()) {
            // The SDK keeps only the message of an earlier attempt ("Request attempt 1 failure: …"),
            // so a refusal is recognised by it; anything not recognised counts as possibly applied.
            String m = String.valueOf(earlier.getMessage());
            boolean refused = m.contains("Status Code: 503") || m.contains("Status Code: 429") || m.contains("Connection refused");
            if (m.startsWith("Request attempt") && !refused) {
                return true;
            }
        }
        return false;
    }

    private static boolean attemptMayHaveBeenApplied(SdkException e) {
        if (e instanceof AwsServiceException s) {
            return !s.isThrottlingException() && (s.statusCode() >= 500 || s.statusCode() == 409);
        }
        return e instanceof SdkClientException && !neverConnected(e);
    }

    /** A failure to open the connection at all: the request cannot have reached S3. */
    private static boolean neverConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Apache's ConnectTimeoutException is matched by name: the HTTP client is pluggable.
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    static boolean isThrottling(SdkException e) {
        return e instanceof AwsServiceException s && s.isThrottlingException();
    }

    static StorageException storage(String doing, SdkException e) {
        return new StorageException(doing + ": " + describe(e), e);
    }

    static String describe(SdkException e) {
        String attempts = e.numAttempts() != null && e.numAttempts() > 1 ? " after " + e.numAttempts() + " attempts" : "";
        if (isThrottling(e)) {
            attempts += "; S3 is throttling requests, retry later";
        }
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            return "S3 answered " + s.statusCode() + " " + s.awsErrorDetails().errorCode() + " (" + s.awsErrorDetails().errorMessage() + ")"
                    + attempts;
        }
        if (e instanceof AwsServiceException s) {
            return "S3 answered " + s.statusCode() + attempts;
        }
        return e.getMessage() + attempts;
    }
}
