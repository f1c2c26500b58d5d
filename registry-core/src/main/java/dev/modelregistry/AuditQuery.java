package dev.modelregistry;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A filter over the audit trail of the whole registry: by model, version, principal, event type
 * (e.g. {@code StageChanged.class}), outcome and time range. Results come in time order.
 *
 * <pre>{@code
 * registry.audit(AuditQuery.builder().model("fraud-detector").eventType(StageChanged.class).build());
 * }</pre>
 */
public final class AuditQuery {
    /** How an entry ended for the one who caused it. */
    public enum Outcome {
        /** The change happened. */
        SUCCEEDED,
        /** The access policy refused the attempt. */
        DENIED,
        /** A gate or an approver refused the promotion. */
        REJECTED
    }

    private final ModelName model;
    private final SemVer version;
    private final String principal;
    private final Class<? extends RegistryEvent> eventType;
    private final Outcome outcome;
    private final Instant from;
    private final Instant until;

    /** Every event type by its simple name, sorted: the permitted subtypes of the sealed {@link RegistryEvent}. */
    private static final Map<String, Class<? extends RegistryEvent>> EVENT_TYPES = eventTypes();

    private static Map<String, Class<? extends RegistryEvent>> eventTypes() {
        Map<String, Class<? extends RegistryEvent>> types = new TreeMap<>();
        for (Class<?> c : RegistryEvent.class.getPermittedSubclasses()) {
            types.put(c.getSimpleName(), c.asSubclass(RegistryEvent.class));
        }
        return Collections.unmodifiableMap(types);
    }

    private AuditQuery(Builder b) {
        this.model = b.model;
        this.version = b.version;
        this.principal = b.principal;
        this.eventType = b.eventType;
        this.outcome = b.outcome;
        this.from = b.from;
        this.until = b.until;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Everything. */
    public static AuditQuery all() {
        return builder().build();
    }

    public Optional<ModelName> model() {
        return Optional.ofNullable(model);
    }

    /**
     * The event type whose simple name is {@code name}, e.g. {@code "StageChanged"}: the lookup for
     * tools that take the type as text, such as the CLI's {@code --action}. Exact and case-sensitive.
     *
     * @throws ValidationException {@code name} names no event type; the message lists the valid names
     */
    public static Class<? extends RegistryEvent> eventTypeNamed(String name) {
        Class<? extends RegistryEvent> type = name == null ? null : EVENT_TYPES.get(name);
        if (type == null) {
            throw new ValidationException("Unknown event type " + Names.quote(name) + "; event types: " + EVENT_TYPES.keySet());
        }
        return type;
    }

    /** The outcome an entry records. */
    public static Outcome outcomeOf(LogEntry e) {
        if (e.event() instanceof AccessDenied) {
            return Outcome.DENIED;
        }
        if (e.event() instanceof PromotionRejected
                || (e.event() instanceof RequestClosed c && c.status() == PromotionRequest.Status.REJECTED)) {
            return Outcome.REJECTED;
        }
        return Outcome.SUCCEEDED;
    }

    /** The version an entry is about, if it is about one. */
    public static Optional<SemVer> versionOf(LogEntry e) {
        if (e.event() instanceof VersionRegistered r) {
            return Optional.of(r.version().version());
        } else if (e.event() instanceof StageChanged c) {
            return Optional.of(c.version());
        } else if (e.event() instanceof EvaluationRecorded r) {
            return Optional.of(r.version());
        } else if (e.event() instanceof ModelCardAttached c) {
            return Optional.of(c.version());
        } else if (e.event() instanceof PromotionRequested r) {
            return Optional.of(r.version());
        } else if (e.event() instanceof PromotionRejected r) {
            return Optional.of(r.version());
        } else if (e.event() instanceof dev.modelregistry.VersionSigned s) {
            return Optional.of(s.version());
        }
        return Optional.empty();
    }

    public boolean matches(LogEntry e) {
        return (model == null || e.model().equals(model))
                && (version == null || versionOf(e).map(version::equals).orElse(false))
                && (principal == null || e.principal().equals(principal))
                && (eventType == null || eventType.isInstance(e.event()))
                && (outcome == null || outcomeOf(e) == outcome)
                && (from == null || !e.time().isBefore(from))
                && (until == null || e.time().isBefore(until));
    }

    /** Collects the filters; each is optional. */
    public static final class Builder {
        private ModelName model;
        private SemVer version;
        private String principal;
        private Class<? extends RegistryEvent> eventType;
        private Outcome outcome;
        private Instant from;
        private Instant until;

        private Builder() {
        }

        public Builder model(String model) {
            this.model = ModelName.of(model);
            return this;
        }

        public Builder version(SemVer version) {
            this.version = Objects.requireNonNull(version, "version");
            return this;
        }

        public Builder principal(String principal) {
            this.principal = Objects.requireNonNull(principal, "principal");
            return this;
        }

        /**
         * Only entries whose event is of {@code type}, e.g. {@code StageChanged.class},
         * {@code AccessDenied.class}, {@code ApprovalRecorded.class}. To take the type as text, see
         * {@link AuditQuery#eventTypeNamed(String)}.
         */
        public Builder eventType(Class<? extends RegistryEvent> type) {
            this.eventType = Objects.requireNonNull(type, "eventType");
            return this;
        }

        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /** Entries at or after {@code from} and before {@code until}. */
        public Builder between(Instant from, Instant until) {
            if (from != null && until != null && until.isBefore(from)) {
                throw new ValidationException("Time range ends (" + until + ") before it starts (" + from + ")");
            }
            this.from = from;
            this.until = until;
            return this;
        }

        public AuditQuery build() {
            return new AuditQuery(this);
        }
    }
}
