package dev.modelregistry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A filter over the audit trail of the whole registry: by model, version, principal, action (the
 * event type, e.g. {@code StageChanged}), outcome and time range. Results come in time order.
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
    private final String action;
    private final Outcome outcome;
    private final Instant from;
    private final Instant until;

    private AuditQuery(Builder b) {
        this.model = b.model;
        this.version = b.version;
        this.principal = b.principal;
        this.action = b.action;
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
                && (action == null || e.event().getClass().getSimpleName().equals(action))
                && (outcome == null || outcomeOf(e) == outcome)
                && (from == null || !e.time().isBefore(from))
                && (until == null || e.time().isBefore(until));
    }

    /** Collects the filters; each is optional. */
    public static final class Builder {
        private ModelName model;
        private SemVer version;
        private String principal;
        private String action;
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

        /** The event type, e.g. {@code StageChanged}, {@code AccessDenied}, {@code ApprovalRecorded}. */
        public Builder action(String eventType) {
            this.action = Objects.requireNonNull(eventType, "eventType");
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
