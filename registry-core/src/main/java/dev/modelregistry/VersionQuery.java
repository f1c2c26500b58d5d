package dev.modelregistry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A search over the versions of one model: filters (stage, tag, labels, metric thresholds), an order
 * and a page size, with keyset paging.
 *
 * <pre>{@code
 * Page<ModelVersion> page = registry.search("fraud-detector", VersionQuery.builder()
 *     .label("team", "risk").metricAtLeast("auc", 0.9)
 *     .orderBy(VersionQuery.Order.METRIC_DESC, "auc").limit(20).build());
 * }</pre>
 */
public final class VersionQuery {
    /** The largest page a query may ask for. */
    public static final int MAX_LIMIT = 1000;

    /** How results are sorted. Ties are broken by version, descending. */
    public enum Order {
        VERSION_DESC, VERSION_ASC, CREATED_DESC, CREATED_ASC,
        /** By a metric, highest first; versions without the metric are left out. */
        METRIC_DESC,
        /** By a metric, lowest first; versions without the metric are left out. */
        METRIC_ASC
    }

    /** A threshold on a metric. */
    public record MetricFilter(String metric, boolean atLeast, double bound) {
        boolean test(ModelVersion v) {
            Double value = v.metrics().get(metric);
            return value != null && (atLeast ? value >= bound : value <= bound);
        }
    }

    private final Stage stage;
    private final String tag;
    private final Map<String, String> labels;
    private final List<MetricFilter> metricFilters;
    private final Order order;
    private final String orderMetric;
    private final int limit;
    private final SortKey afterKey;

    private VersionQuery(Builder b) {
        this.stage = b.stage;
        this.tag = b.tag;
        this.labels = Map.copyOf(b.labels);
        this.metricFilters = List.copyOf(b.metricFilters);
        this.order = b.order;
        this.orderMetric = b.orderMetric;
        this.limit = b.limit;
        this.afterKey = b.after == null ? null : decode(b.after, b.order, b.orderMetric);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every version, highest first, in pages of 100. */
    public static VersionQuery all() {
        return builder().build();
    }

    public Optional<Stage> stage() {
        return Optional.ofNullable(stage);
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Map<String, String> labels() {
        return labels;
    }

    public List<MetricFilter> metricFilters() {
        return metricFilters;
    }

    public Order order() {
        return order;
    }

    public Optional<String> orderMetric() {
        return Optional.ofNullable(orderMetric);
    }

    public int limit() {
        return limit;
    }

    /**
     * The position a page starts after: the sort key of the previous page's last item. Backends that
     * answer searches themselves order by the same key (the ordered value, then version descending)
     * and start strictly after it.
     *
     * @param version   the last item's version
     * @param createdAt its creation time (orders {@code CREATED_*})
     * @param metric    its value of the ordering metric (orders {@code METRIC_*}), else null
     */
    public record SortKey(SemVer version, java.time.Instant createdAt, Double metric) {
    }

    /** True when {@code v}, currently in {@code currentStage}, passes every filter of this query. */
    public boolean matches(ModelVersion v, Stage currentStage) {
        if (stage != null && !stage.equals(currentStage)) {
            return false;
        }
        if (tag != null && !v.tags().contains(tag)) {
            return false;
        }
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (!l.getValue().equals(v.labels().get(l.getKey()))) {
                return false;
            }
        }
        for (MetricFilter f : metricFilters) {
            if (!f.test(v)) {
                return false;
            }
        }
        return orderMetric == null || v.metrics().containsKey(orderMetric);
    }

    /** The order of results: the ordered value, ties broken by version descending. */
    public Comparator<SortKey> comparator() {
        Comparator<SortKey> byVersionDesc = Comparator.comparing(SortKey::version, Comparator.reverseOrder());
        return switch (order) {
            case VERSION_DESC -> byVersionDesc;
            case VERSION_ASC -> Comparator.comparing(SortKey::version);
            case CREATED_DESC -> Comparator.comparing(SortKey::createdAt, Comparator.reverseOrder()).thenComparing(byVersionDesc);
            case CREATED_ASC -> Comparator.comparing(SortKey::createdAt).thenComparing(byVersionDesc);
            case METRIC_DESC -> Comparator.comparing(SortKey::metric, Comparator.reverseOrder()).thenComparing(byVersionDesc);
            case METRIC_ASC -> Comparator.comparing(SortKey::metric).thenComparing(byVersionDesc);
        };
    }

    /** The sort key of {@code v} under this query's order. */
    public SortKey sortKey(ModelVersion v) {
        return new SortKey(v.version(), v.createdAt(), orderMetric == null ? null : v.metrics().get(orderMetric));
    }

    /** The decoded cursor this query continues after, if any. */
    public Optional<SortKey> afterKey() {
        return Optional.ofNullable(afterKey);
    }

    /**
     * The opaque cursor for a page ending with {@code last}: the order and the sort key,
     * base64url-encoded, so every backend produces and accepts the same cursors.
     */
    public String cursorAfter(ModelVersion last) {
        SortKey key = sortKey(last);
        String value = switch (order) {
            case VERSION_DESC, VERSION_ASC -> "";
            case CREATED_DESC, CREATED_ASC -> key.createdAt().toString();
            case METRIC_DESC, METRIC_ASC -> Double.toString(key.metric());
        };
        String raw = order.name() + "\n" + value + "\n" + key.version();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static SortKey decode(String cursor, Order order, String orderMetric) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Invalid page cursor " + Names.quote(cursor));
        }
        if (parts.length != 3 || !parts[0].equals(order.name())) {
            throw new ValidationException("Page cursor " + Names.quote(cursor) + " does not belong to a query ordered by " + order);
        }
        try {
            SemVer version = SemVer.parse(parts[2]);
            return switch (order) {
                case CREATED_DESC, CREATED_ASC -> new SortKey(version, java.time.Instant.parse(parts[1]), null);
                case METRIC_DESC, METRIC_ASC -> new SortKey(version, null, ModelVersion.checkMetricValue(orderMetric, Double.parseDouble(parts[1])));
                default -> new SortKey(version, null, null);
            };
        } catch (RuntimeException e) {
            throw new ValidationException("Invalid page cursor " + Names.quote(cursor) + ": " + e.getMessage());
        }
    }

    /** Runs this query in memory over {@code candidates}, given each one's current stage. */
    public Page<ModelVersion> apply(List<ModelVersion> candidates, java.util.function.Function<SemVer, Stage> stageOf) {
        List<ModelVersion> matching = new ArrayList<>();
        for (ModelVersion v : candidates) {
            if (matches(v, stageOf.apply(v.version()))) {
                matching.add(v);
            }
        }
        Comparator<SortKey> keyOrder = comparator();
        Comparator<ModelVersion> cmp = Comparator.comparing(this::sortKey, keyOrder);
        matching.sort(cmp);
        int start = 0;
        if (afterKey != null) {
            while (start < matching.size() && keyOrder.compare(sortKey(matching.get(start)), afterKey) <= 0) {
                start++;
            }
        }
        int end = Math.min(matching.size(), start + limit);
        List<ModelVersion> items = matching.subList(start, end);
        String next = end < matching.size() ? cursorAfter(items.get(items.size() - 1)) : null;
        return new Page<>(items, next);
    }

    /** Collects the query; every setting is validated at the call. */
    public static final class Builder {
        private Stage stage;
        private String tag;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private final List<MetricFilter> metricFilters = new ArrayList<>();
        private Order order = Order.VERSION_DESC;
        private String orderMetric;
        private int limit = 100;
        private String after;

        private Builder() {
        }

        public Builder stage(Stage stage) {
            this.stage = Objects.requireNonNull(stage, "stage");
            return this;
        }

        public Builder tag(String tag) {
            this.tag = Names.check("tag", tag);
            return this;
        }

        public Builder label(String key, String value) {
            Names.check("label key", key);
            labels.put(key, Objects.requireNonNull(value, "label value"));
            return this;
        }

        public Builder metricAtLeast(String metric, double bound) {
            return metric(metric, true, bound);
        }

        public Builder metricAtMost(String metric, double bound) {
            return metric(metric, false, bound);
        }

        private Builder metric(String metric, boolean atLeast, double bound) {
            ModelVersion.checkMetricName(metric);
            ModelVersion.checkMetricValue(metric, bound);
            metricFilters.add(new MetricFilter(metric, atLeast, bound));
            return this;
        }

        /** Orders by version or creation time. */
        public Builder orderBy(Order order) {
            if (order == Order.METRIC_ASC || order == Order.METRIC_DESC) {
                throw new ValidationException("Ordering by a metric needs its name: orderBy(" + order + ", \"metric\")");
            }
            this.order = Objects.requireNonNull(order, "order");
            this.orderMetric = null;
            return this;
        }

        /** Orders by a metric ({@code METRIC_DESC} or {@code METRIC_ASC}). */
        public Builder orderBy(Order order, String metric) {
            if (order != Order.METRIC_ASC && order != Order.METRIC_DESC) {
                throw new ValidationException("Only METRIC_ASC and METRIC_DESC take a metric name, not " + order);
            }
            this.order = order;
            this.orderMetric = ModelVersion.checkMetricName(metric);
            return this;
        }

        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new ValidationException("Page size must be 1-" + MAX_LIMIT + ", was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Continues after the page whose {@link Page#nextCursor()} this is. */
        public Builder after(String cursor) {
            this.after = Objects.requireNonNull(cursor, "cursor");
            return this;
        }

        public VersionQuery build() {
            return new VersionQuery(this);
        }
    }
}
