package dev.modelregistry.examples.fraud;

import com.oracle.labs.mlrg.olcut.config.json.JsonProvenanceSerialization;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import dev.modelregistry.examples.fraud.TransactionGenerator.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.data.csv.CSVDataSource;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformTrainer;

/**
 * Trains a Tribuo logistic regression (linear SGD with log loss, AdaGrad) on CSV snapshots and
 * returns the model with everything a registry version records about it: the serialized model, its
 * hyperparameters and Tribuo's own provenance as JSON.
 */
public final class FraudTrainer {
    /** Tribuo logs every few thousand SGD steps at INFO through java.util.logging; a narrative has no room for that. */
    private static final Logger TRIBUO_LOGS = Logger.getLogger("org.tribuo");

    static {
        TRIBUO_LOGS.setLevel(Level.WARNING);
    }

    private final double learningRate;
    private final int epochs;
    private final int minibatchSize;
    private final long seed;
    private final Clock clock;

    public FraudTrainer(double learningRate, int epochs, int minibatchSize, long seed, Clock clock) {
        this.learningRate = learningRate;
        this.epochs = epochs;
        this.minibatchSize = minibatchSize;
        this.seed = seed;
        this.clock = clock;
    }

    /** The settings the demo uses: a few seconds on a few thousand rows. */
    public static FraudTrainer standard() {
        return new FraudTrainer(0.5, 5, 1, 42L, Clock.systemUTC());
    }

    /**
     * A trained model.
     *
     * @param model           the Tribuo model (standardisation and logistic regression)
     * @param features        the interface it was trained with
     * @param serialized      the model in Tribuo's protobuf format, as registered
     * @param provenanceJson  Tribuo's provenance of the model (trainer, settings, data sources with their hashes)
     * @param hyperparameters the settings, for the registry
     * @param trainingRows    examples trained on
     * @param start           when training started
     * @param end             when it ended
     */
    public record TrainedModel(Model<Label> model, FeatureSet features, byte[] serialized, String provenanceJson,
                               Map<String, Object> hyperparameters, int trainingRows, Instant start, Instant end) {
    }

    /** Trains on the rows of every snapshot, in order. */
    public TrainedModel train(FeatureSet features, List<Snapshot> training) {
        Instant start = clock.instant();
        MutableDataset<Label> data = null;
        for (Snapshot s : training) {
            CSVDataSource<Label> source = new CSVDataSource<>(s.file(), features.rowProcessor(true), true);
            if (data == null) {
                data = new MutableDataset<>(source);
            } else {
                data.addAll(new MutableDataset<>(source).getData());
            }
        }
        if (data == null || data.size() == 0) {
            throw new IllegalArgumentException("No training data in " + training);
        }
        LinearSGDTrainer logistic = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate, 0.1), epochs,
                Integer.MAX_VALUE, minibatchSize, seed);
        TransformTrainer<Label> trainer = new TransformTrainer<>(logistic, features.standardisation());
        Model<Label> model = trainer.train(data);
        Instant end = clock.instant();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            model.serializeToStream(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not serialize the trained model", e);
        }
        String provenance = new JsonProvenanceSerialization(true).serializeToString(ProvenanceUtil.marshalProvenance(model.getProvenance()));

        Map<String, Object> hyperparameters = new LinkedHashMap<>();
        hyperparameters.put("algorithm", "logistic-regression");
        hyperparameters.put("objective", "LogMulticlass");
        hyperparameters.put("optimiser", "AdaGrad");
        hyperparameters.put("learningRate", learningRate);
        hyperparameters.put("epsilon", 0.1);
        hyperparameters.put("epochs", epochs);
        hyperparameters.put("minibatchSize", minibatchSize);
        hyperparameters.put("seed", seed);
        hyperparameters.put("standardised", features.signature().inputs().stream()
                .filter(f -> !f.type().equals("string")).map(f -> f.name()).toList());
        return new TrainedModel(model, features, bytes.toByteArray(), provenance, Collections.unmodifiableMap(hyperparameters),
                data.size(), start, end);
    }
}
