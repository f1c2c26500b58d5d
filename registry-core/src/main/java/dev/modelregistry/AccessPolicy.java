package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which roles may do what: role name to grants. A principal may do what any of its roles grants.
 *
 * <p>{@link #standardRoles()} is the documented default for a governed registry:
 * <ul>
 *   <li>{@code viewer}: READ</li>
 *   <li>{@code data-scientist}: READ, REGISTER, ANNOTATE, PROMOTE into STAGING, REQUEST_PROMOTION into any stage</li>
 *   <li>{@code approver}: READ, APPROVE</li>
 *   <li>{@code release-manager}: READ, ANNOTATE, PROMOTE into any stage, ROLLBACK, ARCHIVE</li>
 *   <li>{@code signer}: READ, SIGN (a release signer or CI identity that vouches for versions; kept
 *       apart so that whoever promotes is not by default also whoever attests)</li>
 *   <li>{@code admin}: every action</li>
 * </ul>
 * {@link #allowAll()} (the registry's default until a policy is set) lets every principal do
 * everything: right for tests and single-user tools, where access control would only be noise.
 */
public record AccessPolicy(Map<String, List<Grant>> roles, boolean allowAllPrincipals) {
    public AccessPolicy {
        Map<String, List<Grant>> copy = new TreeMap<>();
        if (roles != null) {
            roles.forEach((role, grants) -> {
                if (role == null || !role.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                    throw new ValidationException("Invalid role name " + MessageText.quote(role));
                }
                copy.put(role, checkGrants(role, grants));
            });
        }
        roles = Collections.unmodifiableMap(copy);
    }

    /**
     * An immutable copy of {@code grants}, refusing null. Checked element by element: an immutable
     * list ({@code List.of}, {@code List.copyOf}, the lists of another policy) throws on
     * {@code contains(null)} instead of answering.
     */
    private static List<Grant> checkGrants(String role, List<Grant> grants) {
        if (grants == null) {
            throw new ValidationException("Role " + role + " needs a list of grants, got null");
        }
        int index = 0;
        for (Grant g : grants) {
            if (g == null) {
                throw new ValidationException("Role " + role + " has a null grant at index " + index + "; each grant needs an action");
            }
            index++;
        }
        return List.copyOf(grants);
    }

    private static final AccessPolicy ALLOW_ALL = new AccessPolicy(Map.of(), true);

    public static AccessPolicy allowAll() {
        return ALLOW_ALL;
    }

    public static AccessPolicy standardRoles() {
        return builder()
                .role("viewer", Grant.of(Action.READ))
                .role("data-scientist", Grant.of(Action.READ), Grant.of(Action.REGISTER), Grant.of(Action.ANNOTATE),
                        Grant.of(Action.PROMOTE, "*", Stage.STAGING), Grant.of(Action.REQUEST_PROMOTION))
                .role("approver", Grant.of(Action.READ), Grant.of(Action.APPROVE))
                .role("release-manager", Grant.of(Action.READ), Grant.of(Action.ANNOTATE), Grant.of(Action.PROMOTE),
                        Grant.of(Action.ROLLBACK), Grant.of(Action.ARCHIVE))
                .role("signer", Grant.of(Action.READ), Grant.of(Action.SIGN))
                .role("admin", allActions())
                .build();
    }

    private static Grant[] allActions() {
        List<Grant> all = new ArrayList<>();
        for (Action a : Action.values()) {
            all.add(Grant.of(a));
        }
        return all.toArray(Grant[]::new);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when {@code principal} may do {@code action} on {@code model} (into {@code stage}, when given). */
    public boolean allows(Principal principal, Action action, ModelName model, Stage stage) {
        if (allowAllPrincipals) {
            return true;
        }
        for (String role : principal.roles()) {
            for (Grant g : roles.getOrDefault(role, List.of())) {
                if (g.allows(action, model, stage)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The roles whose grants allow {@code action} on {@code model} into {@code stage}. */
    public Set<String> rolesAllowing(Action action, ModelName model, Stage stage) {
        Set<String> out = new java.util.TreeSet<>();
        roles.forEach((role, grants) -> {
            if (grants.stream().anyMatch(g -> g.allows(action, model, stage))) {
                out.add(role);
            }
        });
        return out;
    }

    /** Collects roles and their grants. */
    public static final class Builder {
        private final Map<String, List<Grant>> roles = new LinkedHashMap<>();

        private Builder() {
        }

        /** Adds {@code grants} to role {@code name}; null grants are refused when the policy is built. */
        public Builder role(String name, Grant... grants) {
            if (grants == null) {
                throw new ValidationException("Role " + MessageText.quote(name) + " needs grants, got null");
            }
            roles.computeIfAbsent(name, k -> new ArrayList<>()).addAll(Arrays.asList(grants));
            return this;
        }

        public AccessPolicy build() {
            return new AccessPolicy(roles, false);
        }
    }
}
