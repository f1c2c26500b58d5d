package dev.modelregistry.examples.fraud;

import dev.modelregistry.Signature;
import dev.modelregistry.Signature.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.data.columnar.FieldExtractor;
import org.tribuo.data.columnar.FieldProcessor;
import org.tribuo.data.columnar.RowProcessor;
import org.tribuo.data.columnar.extractors.IdentityExtractor;
import org.tribuo.data.columnar.processors.field.DoubleFieldProcessor;
import org.tribuo.data.columnar.processors.field.IdentityProcessor;
import org.tribuo.data.columnar.processors.response.FieldResponseProcessor;
import org.tribuo.transform.Transformation;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

/**
 * The model's interface, declared once as a registry {@link Signature} and turned into what Tribuo
 * needs: string inputs become one-hot features, numeric ones are standardised. Serving builds the
 * same features from the signature of the version it loaded, so training and serving cannot drift.
 */
public final class FeatureSet {
    /** The output every version declares. */
    public static final Field OUTPUT = Field.of("fraud_probability", "double");
    /** Columns kept as example metadata so evaluations can be sliced by them. */
    public static final List<String> SLICE_COLUMNS = List.of("region", "channel");

    /** 1.x: amount, time of day, merchant category, foreign card. */
    public static final FeatureSet V1 = new FeatureSet(Signature.of(List.of(
            Field.of("amount", "double"), Field.of("hour", "int"), Field.of("merchant_category", "string"),
            Field.of("is_foreign", "int")), List.of(OUTPUT)));

    /**
     * 2.x: the merchant category is dropped (its feed is being retired), and the device's age, the
     * channel and the card's transaction count in the last 24 hours are added.
     */
    public static final FeatureSet V2 = new FeatureSet(Signature.of(List.of(
            Field.of("amount", "double"), Field.of("hour", "int"), Field.of("is_foreign", "int"), Field.of("channel", "string"),
            Field.of("device_age_days", "int"), Field.of("txn_velocity_24h", "int")), List.of(OUTPUT)));

    private final Signature signature;

    private FeatureSet(Signature signature) {
        this.signature = signature;
    }

    /** The features of a registered version, from its declared signature. */
    public static FeatureSet of(Signature signature) {
        if (signature.inputs().isEmpty()) {
            throw new IllegalArgumentException("A fraud model needs declared inputs; the signature declares none");
        }
        return new FeatureSet(signature);
    }

    public Signature signature() {
        return signature;
    }

    public List<String> inputNames() {
        return signature.inputs().stream().map(Field::name).toList();
    }

    /**
     * Reads CSV columns (or a request's fields) into Tribuo examples labelled by {@code label};
     * {@code withSlices} keeps the slice columns as example metadata, for evaluation.
     */
    public RowProcessor<Label> rowProcessor(boolean withSlices) {
        List<FieldProcessor> fields = new ArrayList<>();
        for (Field f : signature.inputs()) {
            fields.add(isCategorical(f) ? new IdentityProcessor(f.name()) : new DoubleFieldProcessor(f.name()));
        }
        List<FieldExtractor<?>> metadata = new ArrayList<>();
        for (String column : withSlices ? SLICE_COLUMNS : List.<String>of()) {
            metadata.add(new IdentityExtractor(column));
        }
        return new RowProcessor.Builder<Label>()
                .setFieldProcessors(fields)
                .setMetadataExtractors(metadata)
                .build(new FieldResponseProcessor<>("label", TransactionGenerator.LEGIT, new LabelFactory()));
    }

    /** Standardises every numeric input (amounts span four orders of magnitude; SGD wants unit scale). */
    public TransformationMap standardisation() {
        Map<String, List<Transformation>> perFeature = new HashMap<>();
        for (Field f : signature.inputs()) {
            if (!isCategorical(f)) {
                perFeature.put(f.name() + "@value", List.of(new MeanStdDevTransformation()));
            }
        }
        return new TransformationMap(List.of(), perFeature);
    }

    private static boolean isCategorical(Field f) {
        return f.type().equals("string");
    }

    @Override
    public String toString() {
        return String.join(", ", inputNames());
    }
}
