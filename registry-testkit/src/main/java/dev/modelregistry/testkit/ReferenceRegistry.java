package dev.modelregistry.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent, deliberately naive statement of what the registry must do, for the model-based
 * test: plain maps and lists, no hash chains, no stores, and no code from the registry itself.
 * Each operation returns the outcome the real registry must report, in the same words
 * ({@code "registered 1.0.0"}, {@code "threw AccessDeniedException"}, ...), and updates the expected
 * state, including how many entries every log must have.
 *
 * <p>It covers the default lifecycle ({@code NONE → STAGING → PRODUCTION}, anything to
 * {@code ARCHIVED}, {@code ARCHIVED → STAGING}; Production exclusive), the two access policies the
 * test switches between (allow everything, or the documented standard roles) and three gate
 * policies on {@code STAGING->PRODUCTION} (none; one manual approval by role {@code approver}, not by
 * the author; that plus {@code auc >= 0.8} on the holdout set).
 */
final class ReferenceRegistry {
    static final List<String> STAGES = List.of("STAGING", "PRODUCTION", "ARCHIVED");
    static final String DENIED = "threw AccessDeniedException";

    enum AccessMode { ALLOW_ALL, STANDARD_ROLES }

    enum GateMode { NONE, MANUAL, THRESHOLD_AND_MANUAL }

    /** A version's identity: build metadata is not part of it. */
    record Ver(int major, int minor, int patch, String pre) implements Comparable<Ver> {
        private static final Pattern TEXT = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)(?:-([0-9A-Za-z.]+))?(?:\\+([0-9A-Za-z.]+))?");

        static Ver parse(String text) {
            Matcher m = TEXT.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("Not a version the model knows: " + text);
            }
            return new Ver(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4));
        }

        /** The text a version is shown as: without a leading v, with its build metadata. */
        static String display(String text) {
            return text.startsWith("v") ? text.substring(1) : text;
        }

        @Override
        public int compareTo(Ver o) {
            int c = Integer.compare(major, o.major);
            c = c != 0 ? c : Integer.compare(minor, o.minor);
            c = c != 0 ? c : Integer.compare(patch, o.patch);
            if (c != 0) {
                return c;
            }
            if (pre == null || o.pre == null) {
                return pre == null ? (o.pre == null ? 0 : 1) : -1;
            }
            return pre.compareTo(o.pre); // the pool's pre-releases never share a major.minor.patch
        }

        /** node-semver's inc: a pre-release is completed rather than skipped. Build metadata is dropped. */
        Ver bump(String kind) {
            return switch (kind) {
                case "MAJOR" -> pre != null && minor == 0 && patch == 0 ? new Ver(major, 0, 0, null) : new Ver(major + 1, 0, 0, null);
                case "MINOR" -> pre != null && patch == 0 ? new Ver(major, minor, 0, null) : new Ver(major, minor + 1, 0, null);
                case "PATCH" -> pre != null ? new Ver(major, minor, patch, null) : new Ver(major, minor, patch + 1, null);
                default -> throw new IllegalArgumentException(kind);
            };
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch + (pre == null ? "" : "-" + pre);
        }
    }

    record Move(Ver version, String from, String to, String kind) {
    }

    record Decision(String principal, Set<String> roles) {
    }

    static final class Request {
        final long id;
        final Ver version;
        final String from;
        final String to;
        final String requester;
        final boolean releaseApproval;
        final List<Decision> approvals = new ArrayList<>();
        /** Names of the gates that were pending when the gates were last evaluated. */
        List<String> pendingGates;
        String status = "OPEN";

        Request(long id, Ver version, String from, String to, String requester, boolean releaseApproval, List<String> pendingGates) {
            this.id = id;
            this.version = version;
            this.from = from;
            this.to = to;
            this.requester = requester;
            this.releaseApproval = releaseApproval;
            this.pendingGates = pendingGates;
        }
    }

    static final class Model {
        final String name;
        long log;
        final List<Ver> registered = new ArrayList<>();
        final Map<Ver, String> display = new HashMap<>();
        final Map<Ver, String> author = new HashMap<>();
        final Map<String, Ver> tags = new HashMap<>();
        final Map<Ver, String> stage = new HashMap<>();
        /** Versions in each stage in the order they entered; the last is the stage's current version. */
        final Map<String, List<Ver>> members = new HashMap<>();
        final List<Move> history = new ArrayList<>();
        final Map<Ver, Double> auc = new HashMap<>();
        final Map<Long, Request> requests = new LinkedHashMap<>();

        Model(String name) {
            this.name = name;
        }

        Optional<Ver> highest() {
            return registered.stream().max(Ver::compareTo);
        }

        Optional<Ver> current(String stageName) {
            List<Ver> in = members.getOrDefault(stageName, List.of());
            return in.isEmpty() ? Optional.empty() : Optional.of(in.get(in.size() - 1));
        }

        List<Request> open() {
            return requests.values().stream().filter(r -> r.status.equals("OPEN")).toList();
        }

        String show(Ver v) {
            return display.get(v);
        }
    }

    private final Map<String, Model> models = new TreeMap<>();
    private long systemLog;
    private AccessMode access = AccessMode.ALLOW_ALL;
    private GateMode gates = GateMode.NONE;

    Optional<Model> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    Map<String, Model> models() {
        return models;
    }

    long systemLog() {
        return systemLog;
    }

    AccessMode access() {
        return access;
    }

    GateMode gates() {
        return gates;
    }

    // ------------------------------------------------------------------ access

    /** The documented standard roles, restated: what each role may do, and into which stages. */
    boolean allows(Set<String> roles, String action, String stage) {
        if (access == AccessMode.ALLOW_ALL) {
            return true;
        }
        for (String role : roles) {
            boolean granted = switch (role) {
                case "admin" -> true;
                case "data-scientist" -> Set.of("READ", "REGISTER", "ANNOTATE", "REQUEST_PROMOTION").contains(action)
                        || (action.equals("PROMOTE") && (stage == null || stage.equals("STAGING")));
                case "approver" -> Set.of("READ", "APPROVE").contains(action);
                case "release-manager" -> Set.of("READ", "ANNOTATE", "PROMOTE", "ROLLBACK", "ARCHIVE").contains(action);
                case "viewer" -> action.equals("READ");
                default -> false;
            };
            if (granted) {
                return true;
            }
        }
        return false;
    }

    /** A refusal is itself recorded: in the model's log when the model has one, else in the registry's own. */
    private String deny(String model) {
        Model m = model == null ? null : models.get(model);
        if (m != null && m.log > 0) {
            m.log++;
        } else {
            systemLog++;
        }
        return DENIED;
    }

    /** Roles that may approve promotions into {@code stage}: none are named while everything is allowed. */
    private Set<String> rolesAllowingApproval() {
        return access == AccessMode.ALLOW_ALL ? Set.of() : Set.of("admin", "approver");
    }

    // ------------------------------------------------------------------ operations

    String register(String principal, Set<String> roles, String model, String versionChoice, String tag, String artifact) {
        if (!allows(roles, "REGISTER", null)) {
            return deny(model);
        }
        if (tag != null && (tag.equalsIgnoreCase("latest") || Set.of("NONE", "STAGING", "PRODUCTION", "ARCHIVED").contains(tag.toUpperCase(java.util.Locale.ROOT))
                || tag.matches("v?\\d+\\.\\d+\\.\\d+"))) {
            return "threw InvalidNameException";
        }
        Model m = models.get(model);
        List<Ver> existing = m == null ? List.of() : m.registered;
        Optional<Ver> highest = m == null ? Optional.empty() : m.highest();
        Ver chosen;
        String shown;
        if (Set.of("MAJOR", "MINOR", "PATCH", "AUTO").contains(versionChoice)) {
            if (highest.isEmpty()) {
                chosen = switch (versionChoice) {
                    case "AUTO", "MAJOR" -> new Ver(1, 0, 0, null);
                    case "MINOR" -> new Ver(0, 1, 0, null);
                    default -> new Ver(0, 0, 1, null);
                };
            } else {
                // AUTO with no declared signature asks for a patch.
                chosen = highest.get().bump(versionChoice.equals("AUTO") ? "PATCH" : versionChoice);
            }
            shown = chosen.toString();
        } else {
            chosen = Ver.parse(versionChoice);
            shown = Ver.display(versionChoice);
            if (existing.contains(chosen)) {
                return "threw AlreadyExistsException";
            }
        }
        if (tag != null && m != null && m.tags.containsKey(tag)) {
            return "threw AlreadyExistsException";
        }
        if (m == null) {
            m = new Model(model);
            models.put(model, m);
            m.log++; // ModelCreated
        }
        m.log++;
        m.registered.add(chosen);
        m.display.put(chosen, shown);
        m.author.put(chosen, principal);
        m.stage.put(chosen, "NONE");
        if (tag != null) {
            m.tags.put(tag, chosen);
        }
        return "registered " + shown + (artifact == null ? "" : " artifact " + artifact);
    }

    String recordEvaluation(Set<String> roles, String model, Ver version, double auc) {
        if (!allows(roles, "ANNOTATE", null)) {
            return deny(model);
        }
        Model m = models.get(model);
        if (m == null || !m.registered.contains(version)) {
            return "threw NotFoundException";
        }
        m.log++;
        m.auc.put(version, auc);
        return "recorded";
    }

    String promote(String principal, Set<String> roles, String model, Ver version, String to) {
        if (!STAGES.contains(to)) {
            return "threw IllegalTransitionException"; // unknown stage, or NONE
        }
        boolean direct = allows(roles, "PROMOTE", to);
        if (!direct && !allows(roles, "REQUEST_PROMOTION", to)) {
            return deny(model);
        }
        Model m = models.get(model);
        String refused = checkMove(m, version, to);
        if (refused != null) {
            return refused;
        }
        String from = m.stage.get(version);
        for (Request r : m.open()) {
            if (r.version.equals(version) && r.to.equals(to)) {
                return "threw AlreadyExistsException";
            }
        }
        Map<String, String> report = evaluateGates(m, version, from, to, List.of(), principal, !direct);
        String outcome = outcome(report);
        switch (outcome) {
            case "FAILED" -> {
                m.log++; // PromotionRejected
                return "threw GateRejectedException";
            }
            case "PENDING" -> {
                long id = ++m.log;
                m.requests.put(id, new Request(id, version, from, to, principal, !direct, pending(report)));
                return "pending #" + id;
            }
            default -> {
                List<Move> moves = movesInto(m, version, from, to);
                return "applied " + append(m, List.of(), moves, List.of(), null, version);
            }
        }
    }

    String archive(Set<String> roles, String model, Ver version) {
        if (!allows(roles, "ARCHIVE", "ARCHIVED")) {
            return deny(model);
        }
        Model m = models.get(model);
        String refused = checkMove(m, version, "ARCHIVED");
        if (refused != null) {
            return refused;
        }
        return "moved " + append(m, List.of(), List.of(new Move(version, m.stage.get(version), "ARCHIVED", "ARCHIVE")), List.of(), null, version);
    }

    String rollback(Set<String> roles, String model, String stage, Ver target) {
        if (!stage.equals("PRODUCTION")) {
            return "threw IllegalTransitionException"; // only exclusive stages roll back
        }
        if (!allows(roles, "ROLLBACK", stage)) {
            return deny(model);
        }
        Model m = models.get(model);
        if (m == null) {
            return "threw NotFoundException";
        }
        Optional<Ver> current = m.current(stage);
        // Every stay in the stage, in order, with how it ended (null while it lasts).
        List<Ver> stayVersion = new ArrayList<>();
        List<String> stayExit = new ArrayList<>();
        Map<Ver, Integer> openStay = new HashMap<>();
        for (Move mv : m.history) {
            if (mv.from.equals(stage) && openStay.containsKey(mv.version)) {
                stayExit.set(openStay.remove(mv.version), mv.kind);
            }
            if (mv.to.equals(stage)) {
                openStay.put(mv.version, stayVersion.size());
                stayVersion.add(mv.version);
                stayExit.add(null);
            }
        }
        Ver chosen = null;
        if (target != null) {
            if (!m.registered.contains(target)) {
                return "threw NotFoundException";
            }
            if (current.isPresent() && current.get().equals(target)) {
                return "threw StateConflictException";
            }
            boolean heldBefore = false;
            for (int i = 0; i < stayVersion.size(); i++) {
                heldBefore |= stayVersion.get(i).equals(target) && stayExit.get(i) != null;
            }
            if (!heldBefore) {
                return "threw StateConflictException";
            }
            chosen = target;
        } else {
            Set<Ver> seen = new java.util.HashSet<>();
            for (int i = stayVersion.size() - 1; i >= 0 && chosen == null; i--) {
                Ver v = stayVersion.get(i);
                if (!seen.add(v)) {
                    continue; // only a version's latest stay counts
                }
                String exit = stayExit.get(i);
                if (exit != null && !exit.equals("ROLLED_BACK") && !(current.isPresent() && current.get().equals(v))) {
                    chosen = v;
                }
            }
            if (chosen == null) {
                return "threw StateConflictException";
            }
        }
        List<Move> moves = new ArrayList<>();
        current.ifPresent(c -> moves.add(new Move(c, stage, "ARCHIVED", "ROLLED_BACK")));
        moves.add(new Move(chosen, m.stage.get(chosen), stage, "ROLLBACK"));
        return "moved " + append(m, List.of(), moves, List.of(), null, chosen);
    }

    String approve(String principal, Set<String> roles, String model, long requestId) {
        Model m = models.get(model);
        String missing = requireOpen(m, requestId);
        if (missing != null) {
            return missing;
        }
        Request r = m.requests.get(requestId);
        if (!allows(roles, "APPROVE", r.to)) {
            return deny(model);
        }
        if (r.approvals.stream().anyMatch(a -> a.principal.equals(principal))) {
            return "threw AlreadyExistsException";
        }
        if (excludedByFourEyes(m, r, principal, roles)) {
            return "threw StateConflictException";
        }
        List<Decision> approvals = new ArrayList<>(r.approvals);
        approvals.add(new Decision(principal, roles));
        Map<String, String> report = evaluateGates(m, r.version, r.from, r.to, approvals, r.requester, r.releaseApproval);
        r.approvals.add(new Decision(principal, roles));
        r.pendingGates = pending(report);
        switch (outcome(report)) {
            case "FAILED" -> {
                m.log += 2; // the approval, and the request closing as rejected
                r.status = "REJECTED";
                return "threw GateRejectedException";
            }
            case "PENDING" -> {
                m.log++;
                return "pending #" + r.id;
            }
            default -> {
                List<Move> moves = movesInto(m, r.version, r.from, r.to);
                r.status = "COMPLETED";
                return "applied " + append(m, List.of("ApprovalRecorded"), moves, List.of("RequestClosed"), r.id, r.version);
            }
        }
    }

    String reject(Set<String> roles, String model, long requestId) {
        Model m = models.get(model);
        String missing = requireOpen(m, requestId);
        if (missing != null) {
            return missing;
        }
        Request r = m.requests.get(requestId);
        if (!allows(roles, "APPROVE", r.to)) {
            return deny(model);
        }
        m.log += 2;
        r.status = "REJECTED";
        return "request #" + r.id + " REJECTED";
    }

    String withdraw(String principal, Set<String> roles, String model, long requestId) {
        Model m = models.get(model);
        String missing = requireOpen(m, requestId);
        if (missing != null) {
            return missing;
        }
        Request r = m.requests.get(requestId);
        if (!r.requester.equals(principal) && !allows(roles, "PROMOTE", r.to)) {
            return deny(model);
        }
        m.log++;
        r.status = "WITHDRAWN";
        return "request #" + r.id + " WITHDRAWN";
    }

    String setGatePolicy(Set<String> roles, GateMode mode) {
        if (!allows(roles, "CHANGE_POLICY", null)) {
            return deny(null);
        }
        systemLog++;
        gates = mode;
        return "set";
    }

    String setAccessPolicy(Set<String> roles, AccessMode mode) {
        if (!allows(roles, "MANAGE_ACCESS", null)) {
            return deny(null);
        }
        systemLog++;
        access = mode;
        return "set";
    }

    // ------------------------------------------------------------------ rules shared by the operations

    private static String checkMove(Model m, Ver version, String to) {
        if (m == null || !m.registered.contains(version)) {
            return "threw NotFoundException";
        }
        String from = m.stage.get(version);
        if (from.equals(to)) {
            return "threw StateConflictException";
        }
        boolean allowed = (to.equals("ARCHIVED") && !from.equals("ARCHIVED"))
                || (from.equals("NONE") && to.equals("STAGING"))
                || (from.equals("STAGING") && to.equals("PRODUCTION"))
                || (from.equals("ARCHIVED") && to.equals("STAGING"));
        return allowed ? null : "threw IllegalTransitionException";
    }

    private static String requireOpen(Model m, long requestId) {
        if (m == null || !m.requests.containsKey(requestId)) {
            return "threw NotFoundException";
        }
        return m.requests.get(requestId).status.equals("OPEN") ? null : "threw StateConflictException";
    }

    /** Promoting into the exclusive Production displaces its holder to the archive first. */
    private static List<Move> movesInto(Model m, Ver version, String from, String to) {
        List<Move> moves = new ArrayList<>();
        if (to.equals("PRODUCTION")) {
            m.current(to).ifPresent(holder -> moves.add(new Move(holder, to, "ARCHIVED", "DISPLACED")));
        }
        moves.add(new Move(version, from, to, to.equals("ARCHIVED") ? "ARCHIVE" : "PROMOTION"));
        return moves;
    }

    /**
     * Appends {@code before}, the moves, {@code after}, and a closing for every other open request of
     * a version that moved; applies the moves; and describes the move of {@code subject} as
     * {@code "<version> <kind> <from>-><to> @<sequence>"}.
     */
    private static String append(Model m, List<String> before, List<Move> moves, List<String> after, Long completing, Ver subject) {
        List<Request> stale = new ArrayList<>();
        for (Move mv : moves) {
            for (Request r : m.open()) {
                if (r.version.equals(mv.version) && !Long.valueOf(r.id).equals(completing)) {
                    stale.add(r);
                }
            }
        }
        long first = m.log + 1;
        String described = null;
        for (int i = 0; i < moves.size(); i++) {
            Move mv = moves.get(i);
            m.members.computeIfAbsent(mv.from, s -> new ArrayList<>()).remove(mv.version);
            m.members.computeIfAbsent(mv.to, s -> new ArrayList<>()).add(mv.version);
            m.stage.put(mv.version, mv.to);
            m.history.add(mv);
            if (mv.version.equals(subject)) {
                described = m.show(mv.version) + " " + mv.kind + " " + mv.from + "->" + mv.to + " @" + (first + before.size() + i);
            }
        }
        for (Request r : stale) {
            r.status = "CLOSED";
        }
        m.log += before.size() + moves.size() + after.size() + stale.size();
        return described;
    }

    /**
     * Four eyes: an approval that would count towards none of the request's approval gates because
     * it comes from the version's author (the manual gate) or the requester (the release approval)
     * is refused instead of recorded.
     */
    private boolean excludedByFourEyes(Model m, Request r, String principal, Set<String> roles) {
        boolean excluded = false;
        if (r.from.equals("STAGING") && r.to.equals("PRODUCTION") && gates != GateMode.NONE && roles.contains("approver")) {
            if (!principal.equals(m.author.get(r.version))) {
                return false;
            }
            excluded = true;
        }
        if (r.releaseApproval && (allows(roles, "APPROVE", r.to) || allows(roles, "PROMOTE", r.to))) {
            if (!principal.equals(r.requester)) {
                return false;
            }
            excluded = true;
        }
        return excluded;
    }

    /** Each gate's outcome by name, in the order the registry runs them. */
    private Map<String, String> evaluateGates(Model m, Ver version, String from, String to, List<Decision> approvals,
                                              String requester, boolean releaseApproval) {
        Map<String, String> report = new LinkedHashMap<>();
        if (from.equals("STAGING") && to.equals("PRODUCTION")) {
            if (gates == GateMode.THRESHOLD_AND_MANUAL) {
                Double auc = m.auc.get(version);
                report.put("metric-threshold", auc != null && auc >= 0.8 ? "PASSED" : "FAILED");
            }
            if (gates != GateMode.NONE) {
                long counted = approvals.stream()
                        .filter(a -> a.roles.contains("approver") && !a.principal.equals(m.author.get(version)))
                        .count();
                report.put("manual-approval", counted >= 1 ? "PASSED" : "PENDING");
            }
        }
        if (releaseApproval) {
            long eligible = approvals.stream()
                    .filter(a -> !a.principal.equals(requester)
                            && (allows(a.roles, "APPROVE", to) || allows(a.roles, "PROMOTE", to)))
                    .count();
            report.put("release-approval", eligible >= 1 ? "PASSED" : "PENDING");
        }
        return report;
    }

    private static String outcome(Map<String, String> report) {
        if (report.containsValue("FAILED")) {
            return "FAILED";
        }
        return report.containsValue("PENDING") ? "PENDING" : "PASSED";
    }

    private static List<String> pending(Map<String, String> report) {
        List<String> out = new ArrayList<>();
        report.forEach((gate, outcome) -> {
            if (outcome.equals("PENDING")) {
                out.add(gate);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ what a reader must see

    /** The roles an open request is waiting for, as the registry lists them under the policies in force now. */
    Set<String> awaiting(Request r) {
        Set<String> out = new TreeSet<>();
        for (String gate : r.pendingGates) {
            if (gate.equals("release-approval")) {
                out.addAll(rolesAllowingApproval());
            } else if (gate.equals("manual-approval") && gates != GateMode.NONE && r.from.equals("STAGING") && r.to.equals("PRODUCTION")) {
                out.add("approver");
            }
        }
        return out;
    }
}
