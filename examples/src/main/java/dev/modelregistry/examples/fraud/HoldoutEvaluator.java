package dev.modelregistry.examples.fraud;

import dev.modelregistry.Evaluation;
import dev.modelregistry.examples.fraud.TransactionGenerator.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.data.csv.CSVDataSource;
import org.tribuo.provenance.DataProvenance;

/**
 * Scores a model on the locked holdout set with Tribuo's evaluator: overall metrics, the same
 * metrics per slice ({@code region:eu}, {@code channel:online}, …) and the measured latency of a
 * single prediction. The result is a registry {@link Evaluation} on the holdout's {@code DatasetRef}.
 */
public final class HoldoutEvaluator {
    static final Label FRAUD = TransactionGenerator.FRAUD_LABEL;

    private HoldoutEvaluator() {
    }

    public static Evaluation evaluate(Model<Label> model, FeatureSet features, Snapshot holdout) {
        MutableDataset<Label> data = new MutableDataset<>(new CSVDataSource<>(holdout.file(), features.rowProcessor(true), true));
        List<Example<Label>> examples = new ArrayList<>();
        data.forEach(examples::add);
        model.predict(examples); // warm-up, so the timed pass measures the steady state a service sees

        List<Prediction<Label>> predictions = new ArrayList<>(examples.size());
        double[] micros = new double[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            long t0 = System.nanoTime();
            predictions.add(model.predict(examples.get(i)));
            micros[i] = (System.nanoTime() - t0) / 1_000.0;
        }
        DataProvenance provenance = data.getProvenance();
        LabelEvaluator evaluator = new LabelEvaluator();
        LabelEvaluation overall = evaluator.evaluate(model, predictions, provenance);

        Map<String, List<Prediction<Label>>> bySlice = new TreeMap<>();
        for (Prediction<Label> p : predictions) {
            for (String column : FeatureSet.SLICE_COLUMNS) {
                p.getExample().getMetadataValue(column)
                        .ifPresent(value -> bySlice.computeIfAbsent(column + ":" + value, k -> new ArrayList<>()).add(p));
            }
        }
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        bySlice.forEach((slice, ps) -> slices.put(slice, metrics(evaluator.evaluate(model, ps, provenance), false)));

        Arrays.sort(micros);
        Map<String, Double> operational = new LinkedHashMap<>();
        operational.put("latency_p50_ms", percentile(micros, 0.50) / 1_000.0);
        operational.put("latency_p99_ms", percentile(micros, 0.99) / 1_000.0);
        return new Evaluation(holdout.ref(), metrics(overall, true), slices, operational);
    }

    private static Map<String, Double> metrics(LabelEvaluation e, boolean overall) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("auc", e.AUCROC(FRAUD));
        m.put("tpr", e.recall(FRAUD));
        if (overall) {
            m.put("accuracy", e.accuracy());
            m.put("precision", e.precision(FRAUD));
            m.put("f1", e.f1(FRAUD));
        }
        return m;
    }

    private static double percentile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
