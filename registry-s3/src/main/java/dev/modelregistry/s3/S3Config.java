package dev.modelregistry.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Where and how a registry keeps its state in S3 (or any S3-compatible store): the bucket, a key
 * prefix, and either the settings to build an {@link S3Client} (region, endpoint, path-style access,
 * credentials, retries) or a client the caller owns. Immutable; built by {@link #builder(String)}.
 *
 * <pre>{@code
 * S3Config config = S3Config.builder("ml-registry")
 *     .prefix("prod")
 *     .region(Region.EU_WEST_1)
 *     .build();
 * }</pre>
 *
 * Every setting may be given once and is checked at the call, with a message naming the value.
 */
public final class S3Config {
    /** S3's smallest part size for every part but the last. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** S3's largest object a single {@code CopyObject} may copy. */
    public static final long MAX_SINGLE_COPY_SIZE = 5L * 1024 * 1024 * 1024;
    /** Default of {@link Builder#singlePutLimit}: 64 MiB. */
    public static final long DEFAULT_SINGLE_PUT_LIMIT = 64L * 1024 * 1024;

    private final String bucket;
    private final String prefix;
    private final Region region;
    private final URI endpoint;
    private final boolean pathStyleAccess;
    private final AwsCredentialsProvider credentials;
    private final S3Client client;
    private final int maxAttempts;
    private final Duration apiCallAttemptTimeout;
    private final Duration apiCallTimeout;
    private final SdkHttpClient httpClient;
    private final BackoffStrategy backoff;
    private final BackoffStrategy throttlingBackoff;
    private final int partSize;
    private final int multipartThreshold;
    private final long maxSingleCopySize;
    private final long singlePutLimit;
    private final Path spoolDirectory;
    private final int snapshotEvery;
    private final Duration changeCheckInterval;
    private final LongSupplier nanoTicker;

    private S3Config(Builder b) {
        this.bucket = b.bucket;
        this.prefix = b.prefix == null ? "" : b.prefix;
        this.region = b.region;
        this.endpoint = b.endpoint;
        this.pathStyleAccess = b.pathStyleAccess != null && b.pathStyleAccess;
        this.credentials = b.credentials;
        this.client = b.client;
        this.maxAttempts = b.maxAttempts != null ? b.maxAttempts : 5;
        this.apiCallAttemptTimeout = b.apiCallAttemptTimeout != null ? b.apiCallAttemptTimeout : Duration.ofMinutes(2);
        this.apiCallTimeout = b.apiCallTimeout != null ? b.apiCallTimeout : Duration.ofMinutes(10);
        this.httpClient = b.httpClient;
        this.backoff = b.backoff;
        this.throttlingBackoff = b.throttlingBackoff;
        this.partSize = b.partSize != null ? b.partSize : 8 * 1024 * 1024;
        this.multipartThreshold = b.multipartThreshold != null ? b.multipartThreshold : this.partSize;
        this.maxSingleCopySize = b.maxSingleCopySize != null ? b.maxSingleCopySize : MAX_SINGLE_COPY_SIZE;
        this.singlePutLimit = b.singlePutLimit != null ? b.singlePutLimit : DEFAULT_SINGLE_PUT_LIMIT;
        this.spoolDirectory = b.spoolDirectory != null ? b.spoolDirectory : Path.of(System.getProperty("java.io.tmpdir"));
        this.snapshotEvery = b.snapshotEvery != null ? b.snapshotEvery : 100;
        this.changeCheckInterval = b.changeCheckInterval != null ? b.changeCheckInterval : Duration.ofSeconds(1);
        this.nanoTicker = b.nanoTicker != null ? b.nanoTicker : System::nanoTime;
        if (apiCallTimeout.compareTo(apiCallAttemptTimeout) < 0) {
            throw new IllegalArgumentException("apiCallTimeout " + apiCallTimeout + " is shorter than apiCallAttemptTimeout "
                    + apiCallAttemptTimeout + "; it bounds all attempts of a call together");
        }
        if (multipartThreshold > partSize) {
            throw new IllegalArgumentException("multipartThreshold " + multipartThreshold + " exceeds partSize " + partSize
                    + "; content below the threshold is buffered in one part");
        }
    }

    /** Starts a configuration for {@code bucket}. */
    public static Builder builder(String bucket) {
        return new Builder(bucket);
    }

    public String bucket() {
        return bucket;
    }

    /** The key prefix every object lives under, without leading or trailing slash; empty for the bucket root. */
    public String prefix() {
        return prefix;
    }

    public Optional<Region> region() {
        return Optional.ofNullable(region);
    }

    public Optional<URI> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    public boolean pathStyleAccess() {
        return pathStyleAccess;
    }

    /** The credentials given explicitly; empty means the SDK's default provider chain. */
    public Optional<AwsCredentialsProvider> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** The client the caller supplied and owns; empty when the stores build (and close) their own. */
    public Optional<S3Client> client() {
        return Optional.ofNullable(client);
    }

    /** Attempts per request (first try included) of the SDK's standard retry strategy, for clients built here. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** How long one attempt of a request may take before the SDK abandons it and retries, for clients built here. */
    public Duration apiCallAttemptTimeout() {
        return apiCallAttemptTimeout;
    }

    /** How long a request may take with all its retries before it fails, for clients built here. */
    public Duration apiCallTimeout() {
        return apiCallTimeout;
    }

    /** An HTTP client to build the S3 client on instead of the default Apache one; for tests that inject faults on the wire. */
    Optional<SdkHttpClient> httpClient() {
        return Optional.ofNullable(httpClient);
    }

    /** The delays between retries, when not the SDK's standard ones; for tests. */
    Optional<BackoffStrategy[]> backoff() {
        return backoff == null ? Optional.empty() : Optional.of(new BackoffStrategy[] {backoff, throttlingBackoff});
    }

    public int partSize() {
        return partSize;
    }

    public int multipartThreshold() {
        return multipartThreshold;
    }

    public long maxSingleCopySize() {
        return maxSingleCopySize;
    }

    /** Content from the multipart threshold up to this size is spooled to a local file and sent with one PUT; 0 never spools. */
    public long singlePutLimit() {
        return singlePutLimit;
    }

    /** Where uploads up to {@link #singlePutLimit()} are spooled while they are hashed. */
    public Path spoolDirectory() {
        return spoolDirectory;
    }

    public int snapshotEvery() {
        return snapshotEvery;
    }

    public Duration changeCheckInterval() {
        return changeCheckInterval;
    }

    LongSupplier nanoTicker() {
        return nanoTicker;
    }

    @Override
    public String toString() {
        return "S3Config[s3://" + bucket + "/" + prefix + (endpoint != null ? ", endpoint " + endpoint : "")
                + (region != null ? ", region " + region : "") + (client != null ? ", injected client" : "") + "]";
    }

    /** Builds an {@link S3Config}; each setting may be given once. */
    public static final class Builder {
        private final String bucket;
        private String prefix;
        private Region region;
        private URI endpoint;
        private Boolean pathStyleAccess;
        private AwsCredentialsProvider credentials;
        private S3Client client;
        private Integer maxAttempts;
        private Duration apiCallAttemptTimeout;
        private Duration apiCallTimeout;
        private SdkHttpClient httpClient;
        private BackoffStrategy backoff;
        private BackoffStrategy throttlingBackoff;
        private Integer partSize;
        private Integer multipartThreshold;
        private Long maxSingleCopySize;
        private Long singlePutLimit;
        private Path spoolDirectory;
        private Integer snapshotEvery;
        private Duration changeCheckInterval;
        private LongSupplier nanoTicker;

        private Builder(String bucket) {
            if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("Invalid bucket name " + quote(bucket)
                        + ": expected 3-63 lower-case letters, digits, dots and hyphens");
            }
            this.bucket = bucket;
        }

        /**
         * The key prefix under which the registry keeps everything, e.g. {@code "prod/registry"}.
         * Slashes at either end are ignored; empty segments, {@code .} and {@code ..} are refused.
         */
        public Builder prefix(String prefix) {
            requireUnset(this.prefix, "prefix");
            Objects.requireNonNull(prefix, "prefix");
            String p = prefix.replaceAll("^/+|/+$", "");
            if (!p.isEmpty()) {
                for (String segment : p.split("/", -1)) {
                    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                            || !segment.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                        throw new IllegalArgumentException("Invalid key prefix " + quote(prefix)
                                + ": segments must be non-empty printable ASCII other than . and ..");
                    }
                }
            }
            this.prefix = p;
            return this;
        }

        public Builder region(Region region) {
            requireUnset(this.region, "region");
            requireNoClient("region");
            this.region = Objects.requireNonNull(region, "region");
            return this;
        }

        /** An S3-compatible endpoint such as MinIO ({@code http://localhost:9000}). */
        public Builder endpoint(URI endpoint) {
            requireUnset(this.endpoint, "endpoint");
            requireNoClient("endpoint");
            Objects.requireNonNull(endpoint, "endpoint");
            if (!"http".equalsIgnoreCase(endpoint.getScheme()) && !"https".equalsIgnoreCase(endpoint.getScheme())) {
                throw new IllegalArgumentException("Invalid endpoint " + endpoint + ": expected an http or https URI");
            }
            this.endpoint = endpoint;
            return this;
        }

        /** Addresses the bucket in the path ({@code host/bucket/key}), as most S3-compatible servers need. */
        public Builder pathStyleAccess(boolean pathStyle) {
            requireUnset(this.pathStyleAccess, "pathStyleAccess");
            requireNoClient("pathStyleAccess");
            this.pathStyleAccess = pathStyle;
            return this;
        }

        /** Explicit credentials; without this the SDK's default provider chain is used. */
        public Builder credentials(AwsCredentialsProvider credentials) {
            requireUnset(this.credentials, "credentials");
            requireNoClient("credentials");
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /**
         * A client the caller built and keeps ownership of (the stores never close it). Excludes the
         * settings that would build a client: region, endpoint, path style, credentials, maxAttempts.
         */
        public Builder client(S3Client client) {
            requireUnset(this.client, "client");
            Objects.requireNonNull(client, "client");
            for (Object[] set : new Object[][] {{region, "region"}, {endpoint, "endpoint"}, {pathStyleAccess, "pathStyleAccess"},
                    {credentials, "credentials"}, {maxAttempts, "maxAttempts"}, {apiCallAttemptTimeout, "apiCallAttemptTimeout"},
                    {apiCallTimeout, "apiCallTimeout"}, {httpClient, "httpClient"}}) {
                if (set[0] != null) {
                    throw new IllegalStateException("An injected client excludes " + set[1] + ", which was already set to " + set[0]);
                }
            }
            this.client = client;
            return this;
        }

        /** Attempts per request of the SDK's standard retry strategy (exponential backoff with jitter), default 5. */
        public Builder maxAttempts(int attempts) {
            requireUnset(this.maxAttempts, "maxAttempts");
            requireNoClient("maxAttempts");
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException("maxAttempts must be 1-20, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * How long one attempt of a request may take (sending, waiting, reading the answer; not the
         * streaming of a download's body) before the SDK abandons it as a timeout and retries it;
         * default 2 minutes, enough for an 8 MiB part at 70 KB/s. A hung server never hangs a caller.
         */
        public Builder apiCallAttemptTimeout(Duration timeout) {
            requireUnset(this.apiCallAttemptTimeout, "apiCallAttemptTimeout");
            requireNoClient("apiCallAttemptTimeout");
            this.apiCallAttemptTimeout = requirePositive(timeout, "apiCallAttemptTimeout");
            return this;
        }

        /** How long a request may take with all its attempts and backoff; default 10 minutes. */
        public Builder apiCallTimeout(Duration timeout) {
            requireUnset(this.apiCallTimeout, "apiCallTimeout");
            requireNoClient("apiCallTimeout");
            this.apiCallTimeout = requirePositive(timeout, "apiCallTimeout");
            return this;
        }

        /** The HTTP client under the S3 client built here; for tests that put faults on the wire. */
        Builder httpClient(SdkHttpClient client) {
            requireUnset(this.httpClient, "httpClient");
            requireNoClient("httpClient");
            this.httpClient = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** Replaces the SDK's standard delays between retries (throttling and the rest); for tests that exhaust retries often. */
        Builder backoff(BackoffStrategy retries, BackoffStrategy throttling) {
            requireUnset(this.backoff, "backoff");
            requireNoClient("backoff");
            this.backoff = Objects.requireNonNull(retries, "retries");
            this.throttlingBackoff = Objects.requireNonNull(throttling, "throttling");
            return this;
        }

        /** Size of each multipart-upload part, and of the one buffer an upload holds; default 8 MiB, at least 5 MiB. */
        public Builder partSize(int bytes) {
            requireUnset(this.partSize, "partSize");
            if (bytes < MIN_PART_SIZE) {
                throw new IllegalArgumentException("partSize must be at least " + MIN_PART_SIZE + " bytes (S3's minimum), was " + bytes);
            }
            this.partSize = bytes;
            return this;
        }

        /** Content shorter than this is uploaded with one {@code PutObject}; default: the part size. */
        public Builder multipartThreshold(int bytes) {
            requireUnset(this.multipartThreshold, "multipartThreshold");
            if (bytes < 1) {
                throw new IllegalArgumentException("multipartThreshold must be positive, was " + bytes);
            }
            this.multipartThreshold = bytes;
            return this;
        }

        /** Larger uploads are moved to their final key by a multipart copy; default and maximum 5 GiB. */
        public Builder maxSingleCopySize(long bytes) {
            requireUnset(this.maxSingleCopySize, "maxSingleCopySize");
            if (bytes < MIN_PART_SIZE || bytes > MAX_SINGLE_COPY_SIZE) {
                throw new IllegalArgumentException("maxSingleCopySize must be " + MIN_PART_SIZE + "-" + MAX_SINGLE_COPY_SIZE
                        + " (it is also the part size of a multipart copy), was " + bytes);
            }
            this.maxSingleCopySize = bytes;
            return this;
        }

        /**
         * Content from the multipart threshold up to this many bytes is hashed into a temporary file
         * in the {@link #spoolDirectory} as it is read, then sent with one {@code PutObject} straight
         * to its content address, instead of a multipart upload to a temporary key and a copy.
         * Larger content is uploaded in parts (the spooled bytes first). Default 64 MiB, at most
         * 5 GiB (S3's largest single PUT); 0 never spools, for hosts without local disk to spare.
         */
        public Builder singlePutLimit(long bytes) {
            requireUnset(this.singlePutLimit, "singlePutLimit");
            if (bytes < 0 || bytes > MAX_SINGLE_COPY_SIZE) {
                throw new IllegalArgumentException("singlePutLimit must be 0-" + MAX_SINGLE_COPY_SIZE + " bytes, was " + bytes);
            }
            this.singlePutLimit = bytes;
            return this;
        }

        /** Where uploads below the {@link #singlePutLimit} are spooled; default {@code java.io.tmpdir}. */
        public Builder spoolDirectory(Path directory) {
            requireUnset(this.spoolDirectory, "spoolDirectory");
            Objects.requireNonNull(directory, "spoolDirectory");
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("Invalid spoolDirectory " + directory + ": not a directory");
            }
            this.spoolDirectory = directory;
            return this;
        }

        /** A snapshot of a model's log is written each time the log passes a multiple of this; default 100. */
        public Builder snapshotEvery(int entries) {
            requireUnset(this.snapshotEvery, "snapshotEvery");
            if (entries < 2) {
                throw new IllegalArgumentException("snapshotEvery must be at least 2, was " + entries);
            }
            this.snapshotEvery = entries;
            return this;
        }

        /**
         * How stale a reader's view of other processes' writes may be: the event store's change token
         * moves at most this often on its own, so cached state is re-checked (one GET per model read)
         * at most once per interval. {@link Duration#ZERO} re-checks on every read. Default 1 s.
         */
        public Builder changeCheckInterval(Duration interval) {
            requireUnset(this.changeCheckInterval, "changeCheckInterval");
            Objects.requireNonNull(interval, "changeCheckInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("changeCheckInterval must not be negative, was " + interval);
            }
            this.changeCheckInterval = interval;
            return this;
        }

        /** The monotonic nanosecond source the change-check interval is measured with; for tests. */
        Builder nanoTicker(LongSupplier ticker) {
            requireUnset(this.nanoTicker, "nanoTicker");
            this.nanoTicker = Objects.requireNonNull(ticker, "nanoTicker");
            return this;
        }

        public S3Config build() {
            return new S3Config(this);
        }

        private static Duration requirePositive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        private void requireNoClient(String setting) {
            if (client != null) {
                throw new IllegalStateException("Cannot set " + setting + ": an injected client was already given");
            }
        }

        private static void requireUnset(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }
    }

    static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
