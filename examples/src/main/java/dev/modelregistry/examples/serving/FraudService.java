package dev.modelregistry.examples.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.SemVer;
import dev.modelregistry.Stage;
import dev.modelregistry.examples.fraud.FeatureSet;
import dev.modelregistry.examples.fraud.FraudPipeline;
import dev.modelregistry.examples.fraud.FraudScorer;
import dev.modelregistry.examples.fraud.FraudTrainer;
import dev.modelregistry.examples.fraud.TransactionGenerator.Snapshot;
import dev.modelregistry.serving.Lease;
import dev.modelregistry.serving.ModelHandle;
import dev.modelregistry.serving.Serving;
import dev.modelregistry.serving.SwapListener;
import dev.modelregistry.sqlite.SqliteRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fraud-scoring HTTP service on the JDK's {@link HttpServer}, with no framework: it binds to
 * {@code fraud-detector}'s Production stage through a {@link ModelHandle} and swaps models live when
 * Production moves (a promotion or a rollback, in this process or any other sharing the registry).
 *
 * <ul>
 *   <li>{@code GET /version} — the version served, its stage, artifact digest and declared inputs;</li>
 *   <li>{@code POST /predict} with a JSON transaction — {@code {"version":…,"fraud_probability":…}}.
 *       Inputs come from the served version's signature: a missing one is a 400 naming it.</li>
 * </ul>
 *
 * <p>{@code FraudService [registry-directory] [--port N] [self-check]}: on a registry without a
 * Production version it first trains and promotes one. {@code self-check} starts on a free port,
 * drives the service through a promotion and a rollback over HTTP, checks every answer, and exits
 * (non-zero when one is wrong).
 */
public final class FraudService implements AutoCloseable {
    static final String MODEL = FraudPipeline.MODEL;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SWAP_TIMEOUT = Duration.ofSeconds(30);

    private final ModelHandle<FraudScorer> handle;
    private final HttpServer server;
    private final ExecutorService workers;

    private FraudService(ModelHandle<FraudScorer> handle, HttpServer server, ExecutorService workers) {
        this.handle = handle;
        this.server = server;
        this.workers = workers;
    }

    /**
     * Starts serving the current Production version on {@code address} (port 0: any free port).
     * {@code listener} is told of every swap.
     */
    public static FraudService start(ModelRegistry registry, InetSocketAddress address, Duration pollInterval,
                                     SwapListener<FraudScorer> listener) throws IOException {
        ModelHandle<FraudScorer> handle = ModelHandle.builder(registry, MODEL, Stage.PRODUCTION, FraudScorer::load)
                .artifact(FraudPipeline.MODEL_ARTIFACT)
                .pollInterval(pollInterval).maxPollInterval(pollInterval)
                .listener(listener)
                .build();
        try {
            HttpServer server = HttpServer.create(address, 0);
            ExecutorService workers = Executors.newFixedThreadPool(4);
            server.setExecutor(workers);
            FraudService service = new FraudService(handle, server, workers);
            server.createContext("/version", service::version);
            server.createContext("/predict", service::predict);
            server.start();
            return service;
        } catch (IOException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    /** Where the service listens, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort());
    }

    /** The version served now. */
    public ModelVersion serving() {
        return handle.current().version();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        handle.close();
    }

    private void version(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            send(exchange, 405, error("use GET /version"));
            return;
        }
        Serving<FraudScorer> s = handle.current();
        ObjectNode body = JSON.createObjectNode();
        body.put("model", MODEL);
        body.put("version", s.version().version().toString());
        body.put("stage", handle.stage().toString());
        body.put("artifactSha256", s.artifact().sha256().hex());
        body.putPOJO("inputs", s.model().features().inputNames());
        send(exchange, 200, body);
    }

    private void predict(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            send(exchange, 405, error("use POST /predict with a JSON transaction"));
            return;
        }
        JsonNode request;
        try (InputStream in = exchange.getRequestBody()) {
            request = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            send(exchange, 400, error("malformed JSON: " + e.getOriginalMessage()));
            return;
        }
        if (request == null || !request.isObject()) {
            send(exchange, 400, error("expected a JSON object of transaction fields"));
            return;
        }
        Map<String, Object> transaction = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : request.properties()) {
            transaction.put(field.getKey(), field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
        }
        // The lease keeps this model open for the whole call, even if Production moves meanwhile.
        try (Lease<FraudScorer> lease = handle.acquire()) {
            double p = lease.model().score(transaction);
            ObjectNode body = JSON.createObjectNode();
            body.put("model", MODEL);
            body.put("version", lease.version().version().toString());
            body.put("fraud_probability", p);
            send(exchange, 200, body);
        } catch (IllegalArgumentException e) {
            send(exchange, 400, error(e.getMessage()));
        }
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    // ------------------------------------------------------------------------------------- running it

    public static void main(String[] args) {
        Path directory = null;
        int port = 8080;
        boolean selfCheck = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "self-check", "--self-check" -> selfCheck = true;
                case "--port" -> port = Integer.parseInt(args[++i]);
                default -> directory = Path.of(args[i]);
            }
        }
        try {
            Path dir = directory != null ? directory : Files.createTempDirectory("model-registry-serving-");
            try (ModelRegistry registry = SqliteRegistry.open(dir)) {
                System.out.println("Registry directory: " + dir.toAbsolutePath());
                if (selfCheck) {
                    selfCheck(registry, dir, System.out);
                    System.out.println("Self-check passed.");
                } else {
                    serve(registry, dir, port);
                }
            }
        } catch (Exception | AssertionError e) {
            System.err.println("SERVING EXAMPLE FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void serve(ModelRegistry registry, Path dir, int port) throws Exception {
        ensureProduction(registry, dir, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        try (FraudService service = start(registry, new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(1), new SwapListener<>() {
            @Override
            public void onSwap(Serving<FraudScorer> previous, Serving<FraudScorer> current) {
                System.out.println("Production moved: now serving " + current.version() + " (was " + previous.version() + ")");
            }
        })) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            System.out.println("Serving " + service.serving() + " on " + service.uri() + "; Ctrl-C stops.");
            System.out.println("  curl " + service.uri() + "/version");
            System.out.println("  curl -d '{\"amount\":1450,\"hour\":3,\"merchant_category\":\"electronics\",\"is_foreign\":1}' " + service.uri() + "/predict");
            System.out.println("Promote or roll back fraud-detector in " + dir + " from another process and watch /version follow.");
            stopped.await();
        }
    }

    /** Trains and promotes 1.0.0 when the registry has no Production version of the model yet. */
    static void ensureProduction(ModelRegistry registry, Path dir, PrintStream out) {
        if (registry.findCurrent(MODEL, Stage.PRODUCTION).isPresent()) {
            return;
        }
        Principal pipeline = Principal.of("training-pipeline");
        FraudPipeline pipelineData = new FraudPipeline(dir.resolve("data"));
        Snapshot training = pipelineData.snapshot("transactions-2023-09", 9, 4_000);
        Snapshot holdout = pipelineData.snapshot("holdout", 99, 3_000);
        ModelVersion v1 = pipelineData.trainAndRegister(registry, pipeline, FraudTrainer.standard(), FeatureSet.V1, "1.0.0",
                List.of(training), holdout);
        registry.promote(pipeline, MODEL, v1.version(), Stage.STAGING, "bootstrap");
        registry.promote(pipeline, MODEL, v1.version(), Stage.PRODUCTION, "bootstrap");
        out.println("Trained and promoted " + v1 + " (the registry had no Production version)");
    }

    /**
     * Starts the service on a free port and checks over HTTP: the version and a prediction; a new
     * version promoted by the pipeline is served after the swap notification, with its own inputs; a
     * request missing an input is a 400 naming it; after a rollback the old version is served again.
     */
    static void selfCheck(ModelRegistry registry, Path dir, PrintStream out) throws Exception {
        ensureProduction(registry, dir, out);
        Principal pipeline = Principal.of("training-pipeline");
        BlockingQueue<SemVer> swaps = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        try (FraudService service = start(registry, new InetSocketAddress("127.0.0.1", 0), Duration.ofMillis(100), new SwapListener<>() {
            @Override
            public void onSwap(Serving<FraudScorer> previous, Serving<FraudScorer> current) {
                swaps.add(current.version().version());
            }
        })) {
            SemVer first = service.serving().version();
            out.println("Serving on " + service.uri());
            JsonNode version = get(http, service.uri().resolve("/version"), 200);
            out.println("GET /version  -> " + version);
            check(version.get("version").asText().equals(first.toString()), "/version names the Production version");

            Map<String, Object> risky = Map.of("amount", 1450, "hour", 3, "merchant_category", "electronics", "is_foreign", 1,
                    "channel", "online", "device_age_days", 2, "txn_velocity_24h", 6);
            JsonNode prediction = post(http, service.uri().resolve("/predict"), JSON.writeValueAsString(risky), 200);
            out.println("POST /predict -> " + prediction);
            check(prediction.get("version").asText().equals(first.toString()), "the prediction came from " + first);
            double p = prediction.get("fraud_probability").asDouble();
            check(p > 0 && p < 1, "a fraud probability between 0 and 1");

            SemVer next = first.nextMajor();
            FraudPipeline pipelineData = new FraudPipeline(dir.resolve("data"));
            Snapshot september = pipelineData.snapshot("transactions-2023-09", 9, 4_000);
            Snapshot october = pipelineData.snapshot("transactions-2023-10", 10, 4_000);
            Snapshot holdout = pipelineData.snapshot("holdout", 99, 3_000);
            ModelVersion v2 = pipelineData.trainAndRegister(registry, pipeline, FraudTrainer.standard(), FeatureSet.V2, next.toString(),
                    List.of(september, october), holdout);
            registry.promote(pipeline, MODEL, v2.version(), Stage.STAGING, "self-check");
            registry.promote(pipeline, MODEL, v2.version(), Stage.PRODUCTION, "self-check");
            check(next.equals(swaps.poll(SWAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)), "the service swapped to " + next);
            version = get(http, service.uri().resolve("/version"), 200);
            out.println("promoted " + v2 + "; swap notification; GET /version -> " + version.get("version").asText()
                    + " inputs " + version.get("inputs"));
            check(version.get("version").asText().equals(next.toString()), "/version follows Production to " + next);
            prediction = post(http, service.uri().resolve("/predict"), JSON.writeValueAsString(risky), 200);
            out.println("POST /predict -> " + prediction);
            check(prediction.get("version").asText().equals(next.toString()), "the prediction came from " + next);

            JsonNode refused = post(http, service.uri().resolve("/predict"), "{\"amount\": 12.5, \"hour\": 9}", 400);
            out.println("POST /predict without is_foreign -> 400 " + refused);
            check(refused.get("error").asText().contains("is_foreign"), "the 400 names the missing input");
            post(http, service.uri().resolve("/predict"), "{not json", 400);

            registry.rollback(pipeline, MODEL, Stage.PRODUCTION, "self-check rollback");
            check(first.equals(swaps.poll(SWAP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)), "the service swapped back to " + first);
            version = get(http, service.uri().resolve("/version"), 200);
            out.println("rolled back; swap notification; GET /version -> " + version.get("version").asText());
            check(version.get("version").asText().equals(first.toString()), "/version follows the rollback to " + first);
        }
    }

    private static JsonNode get(HttpClient http, URI uri, int expectedStatus) throws IOException, InterruptedException {
        return exchange(http, HttpRequest.newBuilder(uri).GET().build(), expectedStatus);
    }

    private static JsonNode post(HttpClient http, URI uri, String body, int expectedStatus) throws IOException, InterruptedException {
        return exchange(http, HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), expectedStatus);
    }

    private static JsonNode exchange(HttpClient http, HttpRequest request, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        check(response.statusCode() == expectedStatus, request.method() + " " + request.uri().getPath() + " answers "
                + expectedStatus + ", got " + response.statusCode() + " " + response.body());
        return JSON.readTree(response.body());
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Serving self-check failed: expected " + what);
        }
    }
}
