package dev.modelregistry.sqlite;

import dev.modelregistry.VersionQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL of one {@link VersionQuery}, assembled from the fixed fragments in {@code statements.sql}
 * (one per filter, one per order) with every value as a parameter. It orders exactly as
 * {@link VersionQuery#comparator()} does (the ordered value, then version precedence descending),
 * starts strictly after the query's cursor, and fetches one row more than the page to know whether
 * another page follows.
 */
final class SearchStatement {
    private final String sql;
    private final List<Object> parameters;

    private SearchStatement(String sql, List<Object> parameters) {
        this.sql = sql;
        this.parameters = parameters;
    }

    static SearchStatement of(Statements statements, long modelId, VersionQuery q) {
        StringBuilder sql = new StringBuilder(statements.sql("search.select"));
        List<Object> params = new ArrayList<>();
        q.orderMetric().ifPresent(metric -> {
            append(sql, statements, "search.join_order_metric");
            params.add(metric);
        });
        append(sql, statements, "search.where_model");
        params.add(modelId);
        q.stage().ifPresent(stage -> {
            append(sql, statements, "search.stage");
            params.add(stage.name());
        });
        q.tag().ifPresent(tag -> {
            append(sql, statements, "search.tag");
            params.add(tag);
        });
        // Sorted so that equal queries produce equal SQL text.
        for (Map.Entry<String, String> label : new TreeMap<>(q.labels()).entrySet()) {
            append(sql, statements, "search.label");
            params.add(label.getKey());
            params.add(label.getValue());
        }
        for (VersionQuery.MetricFilter f : q.metricFilters()) {
            append(sql, statements, f.atLeast() ? "search.metric_at_least" : "search.metric_at_most");
            params.add(f.metric());
            params.add(f.bound());
        }
        VersionQuery.Order order = q.order();
        q.afterKey().ifPresent(key -> {
            append(sql, statements, "search.after." + order.name());
            byte[] precedence = PrecedenceKey.of(key.version());
            switch (order) {
                case VERSION_DESC, VERSION_ASC -> params.add(precedence);
                case CREATED_DESC -> {
                    params.add(key.createdAt().getEpochSecond());
                    params.add(key.createdAt().getNano());
                    params.add(precedence);
                }
                case CREATED_ASC -> {
                    params.add(key.createdAt().getEpochSecond());
                    params.add(key.createdAt().getNano());
                    params.add(key.createdAt().getEpochSecond());
                    params.add(key.createdAt().getNano());
                    params.add(precedence);
                }
                case METRIC_DESC -> {
                    params.add(MetricKey.of(key.metric()));
                    params.add(precedence);
                }
                case METRIC_ASC -> {
                    params.add(MetricKey.of(key.metric()));
                    params.add(MetricKey.of(key.metric()));
                    params.add(precedence);
                }
            }
        });
        append(sql, statements, "search.order." + order.name());
        append(sql, statements, "search.limit");
        params.add(q.limit() + 1);
        return new SearchStatement(sql.toString(), List.copyOf(params));
    }

    private static void append(StringBuilder sql, Statements statements, String name) {
        sql.append('\n').append(statements.sql(name));
    }

    String sql() {
        return sql;
    }

    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object p = parameters.get(i);
            int index = i + 1;
            if (p instanceof String text) {
                ps.setString(index, text);
            } else if (p instanceof Long number) {
                ps.setLong(index, number);
            } else if (p instanceof Integer number) {
                ps.setInt(index, number);
            } else if (p instanceof Double number) {
                ps.setDouble(index, number);
            } else if (p instanceof byte[] bytes) {
                ps.setBytes(index, bytes);
            } else {
                throw new IllegalStateException("Unexpected search parameter type " + p.getClass().getName());
            }
        }
    }
}
