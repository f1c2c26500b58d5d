package dev.modelregistry.examples.s3;

import static dev.modelregistry.examples.Narration.check;

import dev.modelregistry.examples.Narration;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.VerificationReport;
import dev.modelregistry.examples.fraud.FeatureSet;
import dev.modelregistry.examples.fraud.FraudPipeline;
import dev.modelregistry.examples.fraud.FraudScorer;
import dev.modelregistry.examples.fraud.FraudTrainer;
import dev.modelregistry.examples.fraud.TransactionGenerator.Snapshot;
import dev.modelregistry.s3.S3Config;
import dev.modelregistry.s3.S3Registry;
import dev.modelregistry.serving.Lease;
import dev.modelregistry.serving.ModelHandle;
import dev.modelregistry.serving.Serving;
import dev.modelregistry.serving.SwapListener;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The same registry with everything in one S3 bucket: a training pipeline and a serving process
 * (two registries over the bucket, each with its own client, as on two machines) share models with
 * no server. The pipeline registers and promotes Tribuo models; the serving side's handle follows
 * Production across the bucket, swaps on a promotion and back on a rollback.
 *
 * <p>Which bucket: {@code MODEL_REGISTRY_S3_BUCKET} (and optionally {@code MODEL_REGISTRY_S3_PREFIX},
 * {@code MODEL_REGISTRY_S3_ENDPOINT} for MinIO and the like, {@code AWS_REGION}; credentials from the
 * AWS SDK's default chain). Without a bucket it starts a local S3Mock in this JVM and uses that,
 * over HTTP with the real AWS SDK. Exits non-zero if anything behaves otherwise.
 */
public final class S3Example {
    static final String MODEL = FraudPipeline.MODEL;
    private static final Duration SWAP_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOCAL_BUCKET = "model-registry-example";

    private final PrintStream out;
    private final Narration story;

    S3Example(PrintStream out) {
        this.out = out;
        this.story = new Narration(out);
    }

    public static void main(String[] args) {
        String bucket = System.getenv("MODEL_REGISTRY_S3_BUCKET");
        try {
            if (bucket != null && !bucket.isBlank()) {
                String prefix = env("MODEL_REGISTRY_S3_PREFIX", "model-registry-example/" + UUID.randomUUID());
                String endpoint = System.getenv("MODEL_REGISTRY_S3_ENDPOINT");
                System.out.println("Bucket s3://" + bucket + "/" + prefix + (endpoint == null ? "" : " at " + endpoint));
                new S3Example(System.out).run(() -> {
                    S3Config.Builder b = S3Config.builder(bucket).prefix(prefix);
                    if (System.getenv("AWS_REGION") != null) {
                        b.region(Region.of(System.getenv("AWS_REGION")));
                    }
                    if (endpoint != null && !endpoint.isBlank()) {
                        b.endpoint(URI.create(endpoint)).pathStyleAccess(true);
                    }
                    return b.build();
                });
            } else {
                System.out.println("No MODEL_REGISTRY_S3_BUCKET set: starting a local S3Mock");
                try (LocalS3Mock mock = LocalS3Mock.start(LOCAL_BUCKET)) {
                    System.out.println("S3Mock at " + mock.endpoint() + ", bucket " + LOCAL_BUCKET);
                    new S3Example(System.out).run(() -> localConfig(mock.endpoint(), LOCAL_BUCKET, "example"));
                }
            }
            System.out.println();
            System.out.println("S3 example finished: both sides agreed on every step.");
        } catch (Exception | AssertionError | LinkageError e) {
            System.err.println("S3 EXAMPLE FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** A configuration for an S3-compatible server without real credentials (S3Mock accepts any). */
    static S3Config localConfig(URI endpoint, String bucket, String prefix) {
        return S3Config.builder(bucket).prefix(prefix).endpoint(endpoint).pathStyleAccess(true).region(Region.US_EAST_1)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("example", "example")))
                .changeCheckInterval(Duration.ofMillis(200))
                .build();
    }

    /** Runs the story on two registries built from {@code config} (called once per side). */
    void run(Supplier<S3Config> config) throws Exception {
        Principal pipeline = Principal.of("training-pipeline");
        Principal onCall = Principal.of("on-call");
        Path work = Files.createTempDirectory("model-registry-s3-data-");
        FraudPipeline data = new FraudPipeline(work.resolve("data"));
        Snapshot september = data.snapshot("transactions-2023-09", 9, 2_000);
        Snapshot october = data.snapshot("transactions-2023-10", 10, 2_000);
        Snapshot holdout = data.snapshot("holdout", 99, 1_500);

        try (ModelRegistry training = S3Registry.builder(config.get()).build();
             ModelRegistry serving = S3Registry.builder(config.get()).build()) {
            story.say("The training pipeline registers a Tribuo model in the bucket and promotes it");
            ModelVersion v1 = data.trainAndRegister(training, pipeline, FraudTrainer.standard(), FeatureSet.V1, "1.0.0",
                    List.of(september), holdout);
            training.promote(pipeline, MODEL, v1.version(), Stage.STAGING, "offline evaluation passed");
            training.promote(pipeline, MODEL, v1.version(), Stage.PRODUCTION, "first release");
            story.detail("registered and promoted %s; artifact %s", v1, v1.artifact(FraudPipeline.MODEL_ARTIFACT).uri());

            story.say("The serving side, a registry of its own over the same bucket, loads Production");
            BlockingQueue<SemVer> swaps = new LinkedBlockingQueue<>();
            try (ModelHandle<FraudScorer> handle = ModelHandle.builder(serving, MODEL, Stage.PRODUCTION, FraudScorer::load)
                    .artifact(FraudPipeline.MODEL_ARTIFACT)
                    .pollInterval(Duration.ofMillis(200)).maxPollInterval(Duration.ofMillis(200))
                    .listener(new SwapListener<>() {
                        @Override
                        public void onSwap(Serving<FraudScorer> previous, Serving<FraudScorer> current) {
                            swaps.add(current.version().version());
                        }
                    })
                    .build()) {
                check(handle.current().version().version().equals(v1.version()), "the serving side loaded 1.0.0 from the bucket");
                score(handle);

                story.say("The pipeline promotes 2.0.0; the serving side swaps when it sees the bucket change");
                ModelVersion v2 = data.trainAndRegister(training, pipeline, FraudTrainer.standard(), FeatureSet.V2, "2.0.0",
                        List.of(september, october), holdout);
                training.promote(pipeline, MODEL, v2.version(), Stage.STAGING, "offline evaluation passed");
                training.promote(pipeline, MODEL, v2.version(), Stage.PRODUCTION, "new feature set");
                check(v2.version().equals(swaps.poll(SWAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)), "the serving side swapped to 2.0.0");
                score(handle);

                story.say("On-call rolls back from the training side; the serving side follows");
                training.rollback(onCall, MODEL, Stage.PRODUCTION, "error rate up after 2.0.0");
                check(v1.version().equals(swaps.poll(SWAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)), "the serving side swapped back to 1.0.0");
                score(handle);
            }

            story.say("Both sides read the same history, and it verifies");
            check(serving.stageHistory(MODEL).equals(training.stageHistory(MODEL)), "both registries see the same stage history");
            serving.stageHistory(MODEL).forEach(c -> story.detail("#%-2d %-11s %s %s -> %s by %s", c.sequence(), c.kind(), c.version(), c.from(), c.to(), c.principal()));
            VerificationReport report = serving.verify();
            check(report.intact(), "the hash chains in the bucket verify");
            story.detail("verify(): %d entries, intact", report.entriesChecked());
        }
    }

    private void score(ModelHandle<FraudScorer> handle) {
        Map<String, Object> risky = Map.of("amount", 1450, "hour", 3, "merchant_category", "electronics", "is_foreign", 1,
                "channel", "online", "device_age_days", 2, "txn_velocity_24h", 6);
        try (Lease<FraudScorer> lease = handle.acquire()) {
            double p = lease.model().score(risky);
            check(p > 0 && p < 1, "a probability");
            story.detail("serving %s: risky transaction scores %.3f", lease.version(), p);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }




}
