package dev.modelregistry;

/** The principal may not perform the action. The attempt itself is recorded in the log. */
public class AccessDeniedException extends RegistryException {
    private final String principal;
    private final Action action;
    private final String target;

    /**
     * @param principal the name of the principal who was refused
     * @param action    what it tried to do
     * @param target    what it tried to do it to: a model name, with {@code " into STAGE"} for a stage
     *                  change, or {@code "the registry"} for a registry-wide action
     */
    public AccessDeniedException(String message, String principal, Action action, String target) {
        super(message);
        this.principal = principal;
        this.action = action;
        this.target = target;
    }

    /** The name of the principal who was refused. */
    public String principal() {
        return principal;
    }

    /** What the principal tried to do. */
    public Action action() {
        return action;
    }

    /** What it tried to do it to: a model (and target stage), or {@code "the registry"}. */
    public String target() {
        return target;
    }
}
