package dev.modelregistry;

import java.time.Instant;
import java.util.Set;

/** One decision on a promotion request: who, holding which roles, approved or rejected, why, when. */
public record Approval(String principal, Set<String> roles, boolean approved, String comment, Instant time) {
    public Approval {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
        comment = comment == null ? "" : comment;
    }
}
