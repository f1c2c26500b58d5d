package dev.modelregistry.examples.fraud;

import dev.modelregistry.ModelVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.data.columnar.RowProcessor;

/**
 * A fraud model as a service uses it: the Tribuo model deserialized from the registry artifact, and
 * the feature set rebuilt from the version's declared signature. Thread-safe: Tribuo models predict
 * concurrently.
 */
public final class FraudScorer {
    private final Model<Label> model;
    private final FeatureSet features;
    private final RowProcessor<Label> rows;
    private final String version;

    private FraudScorer(Model<Label> model, FeatureSet features, String version) {
        this.model = model;
        this.features = features;
        this.rows = features.rowProcessor(false);
        this.version = version;
    }

    /** Deserializes the artifact file (Tribuo protobuf format) of {@code version}. */
    public static FraudScorer load(Path artifact, ModelVersion version) throws IOException {
        Model<?> loaded = Model.deserializeFromFile(artifact);
        if (!loaded.validate(Label.class)) {
            throw new IOException(version + "'s artifact is a Tribuo model of another output type, not a classifier");
        }
        @SuppressWarnings("unchecked") // checked by validate(Label.class) just above
        Model<Label> classifier = (Model<Label>) loaded;
        return new FraudScorer(classifier, FeatureSet.of(version.signature()), version.toString());
    }

    /** Wraps a model still in memory (the training pipeline's own check). */
    public static FraudScorer of(Model<Label> model, FeatureSet features) {
        return new FraudScorer(model, features, "unregistered");
    }

    /**
     * The fraud probability of one transaction, given as column name to value. Every declared input
     * is required; other fields are ignored.
     *
     * @throws IllegalArgumentException an input is missing or a numeric input is not a number
     */
    public double score(Map<String, ?> transaction) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String input : features.inputNames()) {
            Object value = transaction.get(input);
            if (value == null) {
                throw new IllegalArgumentException("Missing input \"" + input + "\"; " + version + " needs " + features.inputNames());
            }
            row.put(input, value.toString());
        }
        Example<Label> example;
        try {
            example = rows.generateExample(row, false)
                    .orElseThrow(() -> new IllegalArgumentException("No features in " + row));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a number in " + row + ": " + e.getMessage(), e);
        }
        return model.predict(example).getOutputScores().get(TransactionGenerator.FRAUD_LABEL.getLabel()).getScore();
    }

    public FeatureSet features() {
        return features;
    }

    @Override
    public String toString() {
        return "FraudScorer[" + version + ": " + features + "]";
    }
}
