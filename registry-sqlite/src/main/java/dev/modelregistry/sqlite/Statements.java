package dev.modelregistry.sqlite;

import dev.modelregistry.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Named SQL read from a classpath {@code .sql} resource, JDBI-style: each statement starts with a
 * line {@code -- name: key} and runs to the next such line. Other comment lines and blank lines are
 * dropped. Also splits migration scripts into statements.
 */
final class Statements {
    private static final String NAME_PREFIX = "-- name:";
    private static final Statements DEFAULT = load("statements.sql");

    private final String resource;
    private final Map<String, String> byName;

    private Statements(String resource, Map<String, String> byName) {
        this.resource = resource;
        this.byName = byName;
    }

    /** The statements of this backend. */
    static Statements get() {
        return DEFAULT;
    }

    /** The statement called {@code name}; a missing one is a packaging error. */
    String sql(String name) {
        String sql = byName.get(name);
        if (sql == null) {
            throw new IllegalStateException("No statement named " + name + " in " + resource);
        }
        return sql;
    }

    static Statements load(String resource) {
        String text = readResource(resource);
        Map<String, String> out = new HashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith(NAME_PREFIX)) {
                put(out, resource, name, body);
                name = trimmed.substring(NAME_PREFIX.length()).strip();
                body.setLength(0);
            } else if (!trimmed.isEmpty() && !trimmed.startsWith("--")) {
                body.append(body.length() == 0 ? "" : "\n").append(line.stripTrailing());
            }
        }
        put(out, resource, name, body);
        return new Statements(resource, Map.copyOf(out));
    }

    private static void put(Map<String, String> out, String resource, String name, StringBuilder body) {
        if (name == null) {
            return;
        }
        if (body.length() == 0 || out.containsKey(name)) {
            throw new IllegalStateException("Statement " + name + " in " + resource + " is empty or defined twice");
        }
        out.put(name, body.toString());
    }

    /**
     * The statements of a migration script: comment lines dropped, split after every line that ends
     * with {@code ;} (so a statement never has to fit on one line, and no semicolon inside a string
     * literal can split one).
     */
    static List<String> script(String resource) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : readResource(resource).split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line.stripTrailing()).append('\n');
            if (trimmed.endsWith(";")) {
                statements.add(current.toString().strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalStateException("Migration " + resource + " ends with a statement that has no ';'");
        }
        return statements;
    }

    static boolean exists(String resource) {
        return Statements.class.getResource(resource) != null;
    }

    private static String readResource(String resource) {
        try (InputStream in = Statements.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StorageException("SQL resource " + resource + " is missing from the classpath next to "
                        + Statements.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new StorageException("Cannot read SQL resource " + resource + ": " + e.getMessage(), e);
        }
    }
}
