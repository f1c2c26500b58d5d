package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which gates guard which stage transition: {@code STAGING->PRODUCTION} to an ordered list of
 * {@link GateSpec}s. Immutable; built in Java with {@link #builder()} or loaded from a JSON
 * document with {@link #fromJson(String)}, and validated either way before it can take effect.
 * A transition without gates has none to pass, and is not listed in {@link #transitions()}.
 *
 * <p>Jackson serialises a policy as this same document (so it can be stored in a log event as is)
 * and reads it back through the same validation.
 *
 * <p>The document as {@link #toJson()} writes it, with keys sorted (laid out here for reading; the
 * canonical text has no whitespace). A hand-written document may leave out {@code name} and the
 * boolean settings, which then take their defaults:
 * <pre>{@code
 * {"transitions": {"STAGING->PRODUCTION": [
 *     {"evaluationSet": "s3://data/holdout@v3", "metric": "auc", "name": "metric-threshold",
 *      "operator": ">=", "type": "metric-threshold", "value": 0.85},
 *     {"approvals": 1, "distinctFromAuthor": true, "distinctFromRequester": false,
 *      "name": "manual-approval", "role": "approver", "type": "manual-approval"}]},
 *  "version": 1}
 * }</pre>
 */
public final class GatePolicy {
    /** The document version this library reads and writes. */
    public static final int VERSION = 1;

    private static final GatePolicy EMPTY = new GatePolicy(Map.of());

    private final Map<Transition, List<GateSpec>> transitions;

    private GatePolicy(Map<Transition, List<GateSpec>> transitions) {
        Map<Transition, List<GateSpec>> sorted = new TreeMap<>();
        transitions.forEach((t, gates) -> sorted.put(t, List.copyOf(gates)));
        this.transitions = Collections.unmodifiableMap(sorted);
    }

    /** A move from one stage to another, written {@code FROM->TO} in policy documents. */
    public record Transition(Stage from, Stage to) implements Comparable<Transition> {
        static final String ARROW = "->";

        public Transition {
            if (from == null || to == null) {
                throw new PolicyException("", "a transition needs both stages, got " + from + ARROW + to);
            }
            if (from.equals(to)) {
                throw new PolicyException("", "transition " + from + ARROW + to + " does not change stage");
            }
        }

        /** Reads {@code FROM->TO}; stage names are case-insensitive, as {@link Stage} normalises them. */
        public static Transition parse(String key) {
            int arrow = key == null ? -1 : key.indexOf(ARROW);
            if (arrow < 0 || key.indexOf(ARROW, arrow + ARROW.length()) >= 0) {
                throw new PolicyException("", "invalid transition " + MessageText.quote(key)
                        + "; expected FROM->TO, e.g. STAGING->PRODUCTION");
            }
            return new Transition(stage(key, key.substring(0, arrow)), stage(key, key.substring(arrow + ARROW.length())));
        }

        private static Stage stage(String key, String name) {
            try {
                return Stage.of(name);
            } catch (ValidationException e) {
                throw new PolicyException("", "invalid transition " + MessageText.quote(key) + ": " + e.getMessage());
            }
        }

        @Override
        public int compareTo(Transition other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return from + ARROW + to;
        }
    }

    /** A policy with no gates on any transition. */
    public static GatePolicy empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads and validates a policy document. Every problem is a {@link PolicyException} whose
     * message starts with the JSON Pointer of the offending value, e.g.
     * {@code /transitions/STAGING->PRODUCTION/0/operator: unknown operator "=>"; expected one of >=, >, <=, <, ==}.
     */
    public static GatePolicy fromJson(String json) {
        return PolicyCodec.read(json);
    }

    /** The canonical document: keys sorted at every depth, no whitespace; {@code fromJson(toJson())} equals this. */
    public String toJson() {
        return PolicyCodec.write(this);
    }

    /** Jackson writes a policy (say, inside a log event) as its document, so it reads the same as a policy file. */
    @JsonValue
    private JsonNode jsonTree() {
        return PolicyCodec.tree(this);
    }

    /** Jackson reads a policy through the same validation as {@link #fromJson(String)}. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private static GatePolicy fromJsonTree(JsonNode document) {
        return PolicyCodec.read(document);
    }

    /** The gates of {@code from -> to}, in order; empty when the policy does not mention the transition. */
    public List<GateSpec> gatesFor(Stage from, Stage to) {
        if (from == null || to == null || from.equals(to)) {
            return List.of();
        }
        return transitions.getOrDefault(new Transition(from, to), List.of());
    }

    /** Every transition that has gates, with its gates, sorted by {@code FROM->TO}. */
    public Map<Transition, List<GateSpec>> transitions() {
        return transitions;
    }

    /**
     * The names of the custom gates the policy refers to, sorted: each must be registered from code,
     * or the gates that refer to it fail.
     */
    public Set<String> customGateNames() {
        Set<String> names = new TreeSet<>();
        transitions.values().forEach(gates -> gates.stream()
                .filter(g -> g instanceof GateSpec.Custom)
                .forEach(g -> names.add(g.name())));
        return Collections.unmodifiableSet(names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatePolicy other && transitions.equals(other.transitions);
    }

    @Override
    public int hashCode() {
        return transitions.hashCode();
    }

    @Override
    public String toString() {
        return "GatePolicy" + toJson();
    }

    /**
     * Refuses null gates and two gates with one name in a transition, at their path below
     * {@code transitionPath} (the reader passes the key as written in the document).
     */
    static void checkGates(String transitionPath, List<GateSpec> gates) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < gates.size(); i++) {
            GateSpec gate = gates.get(i);
            if (gate == null) {
                throw new PolicyException(transitionPath + "/" + i, "a gate must not be null");
            }
            Integer first = seen.putIfAbsent(gate.name(), i);
            if (first != null) {
                throw new PolicyException(transitionPath + "/" + i + "/name", "duplicate gate name "
                        + MessageText.quote(gate.name()) + " (also gate " + first + "); give each gate of a transition its own name");
            }
        }
    }

    /** Escapes a key or field name for a JSON Pointer (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static String pointer(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /**
     * Collects transitions and their gates. Each transition may be given once; its gates are checked
     * at the call (null gates, duplicate names), so a mistake is reported where it is made.
     */
    public static final class Builder {
        private final Map<Transition, List<GateSpec>> transitions = new LinkedHashMap<>();
        private final Set<Transition> given = new HashSet<>();

        private Builder() {
        }

        public Builder transition(Stage from, Stage to, GateSpec... gates) {
            return transition(from, to, gates == null ? null : Arrays.asList(gates));
        }

        public Builder transition(Stage from, Stage to, List<GateSpec> gates) {
            Transition transition = new Transition(from, to);
            String path = "/transitions/" + pointer(transition.toString());
            if (!given.add(transition)) {
                throw new PolicyException(path, "transition " + transition + " is already defined in this policy");
            }
            List<GateSpec> copy = gates == null ? List.of() : new ArrayList<>(gates);
            checkGates(path, copy);
            // A transition without gates is the same as one the policy does not mention; keeping only
            // transitions with gates gives each policy a single form (and a single canonical JSON).
            if (!copy.isEmpty()) {
                transitions.put(transition, copy);
            }
            return this;
        }

        public GatePolicy build() {
            return transitions.isEmpty() ? EMPTY : new GatePolicy(transitions);
        }
    }
}
