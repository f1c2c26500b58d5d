package dev.modelregistry.examples.fraud;

import dev.modelregistry.DatasetRef;
import dev.modelregistry.Sha256;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.tribuo.classification.Label;

/**
 * Writes a deterministic, synthetic card-transactions data set as CSV: the same seed and row count
 * give the same bytes, so a snapshot is identified by the generator's commit and its SHA-256.
 *
 * <p>Fraud is drawn from a logistic ground truth over the columns (large amounts, night hours,
 * risky merchant categories, foreign cards, new devices and bursts of transactions raise it), so a
 * model has something real to learn and a model that sees more of those signals does better.
 */
public final class TransactionGenerator {
    /** The CSV header, in order. */
    public static final List<String> COLUMNS = List.of("transaction_id", "amount", "hour", "merchant_category", "channel",
            "region", "is_foreign", "device_age_days", "txn_velocity_24h", "label");
    public static final String FRAUD = "fraud";
    public static final String LEGIT = "legit";
    /** The label Tribuo reads from {@link #FRAUD}: its response processor upper-cases values by default. */
    public static final Label FRAUD_LABEL = new Label(FRAUD.toUpperCase(Locale.ROOT));

    private static final String[] CATEGORIES = {"grocery", "fuel", "travel", "electronics", "gaming"};
    private static final double[] CATEGORY_WEIGHT = {0.35, 0.2, 0.15, 0.2, 0.1};
    private static final double[] CATEGORY_RISK = {-0.9, -0.4, 0.4, 0.9, 1.6};
    private static final String[] REGIONS = {"eu", "na", "apac"};
    private static final double[] REGION_WEIGHT = {0.45, 0.35, 0.2};

    private TransactionGenerator() {
    }

    /**
     * A written snapshot.
     *
     * @param file   the CSV file
     * @param ref    the registry's reference: URI, generator commit and the file's SHA-256
     * @param rows   data rows (header excluded)
     * @param frauds rows labelled fraud
     */
    public record Snapshot(Path file, DatasetRef ref, int rows, int frauds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (%,d rows, %.1f%% fraud, sha256 %s…)", ref.id(), rows, 100.0 * frauds / rows,
                    ref.contentHash().substring(0, 12));
        }
    }

    /**
     * Writes {@code rows} transactions drawn with {@code seed} to {@code file} and returns the snapshot,
     * referenced as {@code uri} at version {@code generatorVersion} (e.g. {@code git:<commit>}).
     */
    public static Snapshot write(Path file, String uri, String generatorVersion, long seed, int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("A snapshot needs at least one row, got " + rows);
        }
        MessageDigest sha256 = Sha256.newDigest();
        int frauds = 0;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream raw = Files.newOutputStream(file);
                 BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new DigestOutputStream(raw, sha256), StandardCharsets.UTF_8))) {
                out.write(String.join(",", COLUMNS));
                out.write('\n');
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < rows; i++) {
                    String[] row = row(random, seed, i);
                    frauds += FRAUD.equals(row[row.length - 1]) ? 1 : 0;
                    out.write(String.join(",", row));
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        DatasetRef ref = DatasetRef.of(uri, generatorVersion).withContentHash(Sha256.of(sha256.digest()));
        return new Snapshot(file, ref, rows, frauds);
    }

    private static String[] row(SplittableRandom random, long seed, int index) {
        int category = pick(random, CATEGORY_WEIGHT);
        int region = pick(random, REGION_WEIGHT);
        boolean online = random.nextDouble() < (CATEGORIES[category].equals("gaming") ? 0.9 : 0.45);
        boolean foreign = random.nextDouble() < (region == 2 ? 0.3 : 0.1);
        double amount = Math.exp(3.6 + 1.0 * random.nextGaussian() + (category == 2 ? 1.2 : 0) + (category == 3 ? 0.8 : 0));
        int hour = (int) Math.floor(random.nextDouble() < 0.15 ? random.nextDouble() * 6 : 6 + random.nextDouble() * 18);
        int deviceAge = online ? (int) Math.min(2000, Math.floor(-Math.log(1 - random.nextDouble()) * 300)) : 0;
        int velocity = (int) Math.floor(-Math.log(1 - random.nextDouble()) * 2.5);
        double logit = -5.2
                + 0.9 * Math.log(amount / 40)
                + (hour < 6 ? 1.6 : 0)
                + 1.4 * CATEGORY_RISK[category]
                + (foreign ? 1.4 : 0)
                + (online && deviceAge < 14 ? 2.6 : 0)
                + 0.45 * velocity
                + (online ? 0.3 : 0);
        boolean fraud = random.nextDouble() < 1 / (1 + Math.exp(-logit));
        return new String[] {
                "t" + seed + "-" + index,
                String.format(Locale.ROOT, "%.2f", amount),
                Integer.toString(hour),
                CATEGORIES[category],
                online ? "online" : "pos",
                REGIONS[region],
                foreign ? "1" : "0",
                Integer.toString(deviceAge),
                Integer.toString(velocity),
                fraud ? FRAUD : LEGIT};
    }

    private static int pick(SplittableRandom random, double[] weights) {
        double r = random.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
