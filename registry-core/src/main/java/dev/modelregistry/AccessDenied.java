package dev.modelregistry;


/** An attempt the access policy refused; the principal is the entry's. */
public record AccessDenied(Action action, String target, java.util.Set<String> roles) implements RegistryEvent {
    public AccessDenied {
        roles = roles == null ? java.util.Set.of() : java.util.Set.copyOf(new java.util.TreeSet<>(roles));
    }
}
