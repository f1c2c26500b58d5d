package dev.modelregistry;


/**
 * A gate policy, or one gate of it, is invalid. Thrown when a policy document is loaded and when a
 * policy or gate is built in Java, always before anything is stored, so a bad policy never takes
 * effect. The {@link #path()} says where in the JSON document the problem is, as a JSON Pointer
 * (for example {@code /transitions/STAGING->PRODUCTION/0/operator}); it is empty for problems with
 * the document as a whole, such as malformed JSON.
 */
public class PolicyException extends ValidationException {
    private final String path;
    private final String problem;

    /**
     * @param path    a JSON Pointer to the offending value, or empty for the whole document
     * @param problem what is wrong, naming the offending value
     */
    public PolicyException(String path, String problem) {
        super(path == null || path.isEmpty() ? problem : path + ": " + problem);
        this.path = path == null ? "" : path;
        this.problem = problem;
    }

    private PolicyException(String path, String problem, String message) {
        super(message);
        this.path = path;
        this.problem = problem;
    }

    /**
     * A problem with one field of a gate built in Java: the message reads
     * {@code "no-regression gate: tolerance must not be negative, was -0.5"}, and a policy document
     * that contains the gate reports it at the field's path via {@link #under(String)}.
     */
    static PolicyException field(String gateType, String field, String problem) {
        return new PolicyException("/" + field, problem, gateType + " gate: " + field + " " + problem);
    }

    /** The same problem, at {@code base} + this path (for a problem found below a document node). */
    PolicyException under(String base) {
        return new PolicyException(base + path, problem);
    }

    /**
     * Where in the policy document the problem is (a JSON Pointer), or empty for the whole document.
     * For a gate built in Java the path is relative to the gate, e.g. {@code /tolerance}.
     */
    public String path() {
        return path;
    }

    /** What is wrong, without the path. */
    public String problem() {
        return problem;
    }
}
