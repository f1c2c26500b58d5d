package dev.modelregistry.examples.fraud;

import dev.modelregistry.ModelCard;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.Principal;
import dev.modelregistry.Registration;
import dev.modelregistry.Sha256;
import dev.modelregistry.examples.fraud.FraudTrainer.TrainedModel;
import dev.modelregistry.examples.fraud.TransactionGenerator.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.tribuo.Tribuo;

/**
 * The training pipeline of the examples: writes data snapshots, and turns a trained model into a
 * registration that carries its artifact, hyperparameters, interface, Tribuo provenance and lineage
 * (code commit, dataset snapshots, holdout set, training run).
 *
 * <p>The data are generated, so a snapshot's version is the commit of the generator code that wrote
 * it ({@code git:<commit>} when run from a git checkout; otherwise {@code gen:} and the SHA-256 of the
 * generator's class file) and its content hash is the file's SHA-256.
 */
public final class FraudPipeline {
    public static final String MODEL = "fraud-detector";
    /** The registered model file: Tribuo's protobuf format, read back by {@link FraudScorer#load}. */
    public static final String MODEL_ARTIFACT = "model.tribuo";
    public static final String PROVENANCE_ARTIFACT = "tribuo-provenance.json";
    static final String SCRIPT = "examples/src/main/java/dev/modelregistry/examples/fraud/FraudTrainer.java";

    private final Path dataDirectory;
    private final String generatorVersion;
    private final String repository;
    private final String commit;

    /** A pipeline writing its snapshots into {@code dataDirectory}. */
    public FraudPipeline(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        Optional<String> head = git("rev-parse", "--short=12", "HEAD");
        this.commit = head.orElseGet(FraudPipeline::generatorClassHash);
        this.generatorVersion = head.map(c -> "git:" + c).orElse("gen:" + commit);
        this.repository = git("config", "--get", "remote.origin.url").orElse("model-registry-sdk");
    }

    /** The version every snapshot written by this pipeline carries. */
    public String generatorVersion() {
        return generatorVersion;
    }

    /** Writes {@code data/<name>.csv}: {@code rows} transactions drawn with {@code seed}. */
    public Snapshot snapshot(String name, long seed, int rows) {
        return TransactionGenerator.write(dataDirectory.resolve(name + ".csv"), "data/" + name + ".csv", generatorVersion, seed, rows);
    }

    /**
     * A registration of {@code model}, ready for a version or bump to be chosen: the serialized model
     * and Tribuo's provenance as artifacts, the hyperparameters, the interface, the datasets trained on,
     * the holdout set, the code and the training run.
     */
    public Registration.Builder registration(TrainedModel trained, List<Snapshot> training, Snapshot holdout, ModelCard card) {
        Registration.Builder r = Registration.of(MODEL)
                .framework("tribuo", Tribuo.VERSION)
                .hyperparameters(trained.hyperparameters())
                .signature(trained.features().signature())
                .artifact(MODEL_ARTIFACT, "application/x-protobuf", trained.serialized())
                .artifact(PROVENANCE_ARTIFACT, "application/json", trained.provenanceJson().getBytes(StandardCharsets.UTF_8))
                .code(repository, commit, SCRIPT)
                .trainingRun("train-" + trained.start().toEpochMilli(), trained.start(), trained.end(),
                        Map.of("rows", Integer.toString(trained.trainingRows()), "features", trained.features().toString()))
                .evaluationSet(holdout.ref())
                .modelCard(card)
                .label("team", "payments-risk");
        for (Snapshot s : training) {
            r.dataset(s.ref());
        }
        return r;
    }

    /**
     * Trains on {@code training}, registers the result as {@code version} of {@link #MODEL} and records
     * its evaluation on {@code holdout}: the whole pipeline in one call, for examples whose story
     * starts after training.
     */
    public ModelVersion trainAndRegister(ModelRegistry registry, Principal by, FraudTrainer trainer, FeatureSet features, String version,
                                         List<Snapshot> training, Snapshot holdout) {
        TrainedModel trained = trainer.train(features, training);
        ModelVersion registered = registry.register(by, registration(trained, training, holdout, ModelCard.builder()
                .intendedUse("Score card transactions for manual fraud review.")
                .limitations("Trained on generated data.")
                .build()).version(version).reason("pipeline run").build());
        registry.recordEvaluation(by, MODEL, registered.version(), HoldoutEvaluator.evaluate(trained.model(), features, holdout), "holdout evaluation");
        return registered;
    }

    /** Whether Tribuo's own provenance recorded exactly the bytes the DatasetRef names (its SHA-256). */
    public static boolean provenanceRecords(TrainedModel trained, Snapshot snapshot) {
        return trained.provenanceJson().toLowerCase(Locale.ROOT).contains(snapshot.ref().contentHash());
    }

    private static Optional<String> git(String... args) {
        try {
            Process p = new ProcessBuilder(concat("git", args)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() && !out.contains("\n")) {
                return Optional.of(out);
            }
        } catch (IOException e) {
            return Optional.empty(); // no git on this machine: fall back to the generator's class hash
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String generatorClassHash() {
        try (InputStream in = TransactionGenerator.class.getResourceAsStream("TransactionGenerator.class")) {
            if (in == null) {
                throw new IllegalStateException("Cannot identify the data generator's code: its class file is not readable");
            }
            return Sha256.digest(in.readAllBytes()).hex().substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot identify the data generator's code", e);
        }
    }
}
