package dev.modelregistry.s3;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The server-side atomicity that real S3 and MinIO give create-only writes and S3Mock does not: one
 * lock per key, shared by every {@link LinearizingS3Client} that models a client of the same bucket,
 * so that "does the key exist? then create it" happens as one step.
 */
final class Linearizer {
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    Object lockFor(String bucket, String key) {
        return locks.computeIfAbsent(bucket + "/" + key, k -> new Object());
    }

    static S3Exception preconditionFailed(String key) {
        return (S3Exception) S3Exception.builder().statusCode(412)
                .message("At least one of the pre-conditions you specified did not hold (" + key + ")")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("PreconditionFailed").serviceName("S3")
                        .errorMessage("At least one of the pre-conditions you specified did not hold").build())
                .build();
    }
}
