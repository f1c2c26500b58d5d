package dev.modelregistry.s3;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The one {@link S3Client} the stores of a configuration share. A client built here from the
 * configuration is closed when the last store using it closes; an injected client belongs to the
 * caller and is never closed.
 */
final class SharedClient {
    private final S3Client client;
    private final boolean owned;
    private final AtomicInteger users = new AtomicInteger();

    private SharedClient(S3Client client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    static SharedClient open(S3Config config) {
        return config.client().map(c -> new SharedClient(c, false)).orElseGet(() -> new SharedClient(build(config), true));
    }

    /** The client, counted as used until the returned store calls {@link #release()}. */
    S3Client acquire() {
        users.incrementAndGet();
        return client;
    }

    void release() {
        if (users.decrementAndGet() == 0 && owned) {
            client.close();
        }
    }

    /**
     * Retries: the SDK's standard strategy (exponential backoff with jitter, a longer backoff for
     * throttling, retrying throttling, 5xx answers, I/O errors and attempt timeouts) with the
     * configured number of attempts; every attempt, and every call with its retries, is bounded by
     * the configured timeouts, so a hung server surfaces as a retry and then as an error, never a
     * hang. A retried conditional write can come back 412 although its first attempt succeeded; the
     * event store resolves that by reading the object back (see {@link CreateOnly}).
     */
    private static S3Client build(S3Config config) {
        StandardRetryStrategy.Builder retries = AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(config.maxAttempts());
        config.backoff().ifPresent(b -> retries.backoffStrategy(b[0]).throttlingBackoffStrategy(b[1]));
        S3ClientBuilder b = S3Client.builder()
                .overrideConfiguration(o -> o.retryStrategy(retries.build())
                        .apiCallAttemptTimeout(config.apiCallAttemptTimeout())
                        .apiCallTimeout(config.apiCallTimeout()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyleAccess()).build());
        config.httpClient().ifPresentOrElse(b::httpClient, () -> b.httpClientBuilder(ApacheHttpClient.builder().maxConnections(64)));
        config.region().ifPresent(b::region);
        config.credentials().ifPresent(b::credentialsProvider);
        if (config.endpoint().isPresent()) {
            URI endpoint = config.endpoint().get();
            b.endpointOverride(endpoint);
            if (config.region().isEmpty()) {
                // S3-compatible servers ignore the region, but the SDK must sign with one.
                b.region(Region.US_EAST_1);
            }
        }
        return b.build();
    }
}
