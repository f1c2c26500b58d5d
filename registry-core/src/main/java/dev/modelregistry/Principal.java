package dev.modelregistry;

import java.util.Set;
import java.util.TreeSet;

/**
 * Who performs an action: a name (a user, a service account, a CI job) and the roles it holds.
 * Every mutating call names one; it is written into the event that records the change.
 */
public record Principal(String name, Set<String> roles) {
    static final int MAX_NAME_LENGTH = 256;

    public Principal {
        if (name == null || name.isBlank()) {
            throw new InvalidNameException("Invalid principal name " + Names.quote(name) + ": must not be blank");
        }
        Names.checkText("principal name", name, MAX_NAME_LENGTH);
        if (name.contains("\n") || name.contains("\t") || name.contains("\r")) {
            throw new InvalidNameException("Invalid principal name " + Names.quote(name) + ": must be one line");
        }
        roles = roles == null ? Set.of() : Set.copyOf(new TreeSet<>(roles));
        for (String role : roles) {
            Names.check("role", role);
        }
    }

    public static Principal of(String name, String... roles) {
        return new Principal(name, Set.of(roles));
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
