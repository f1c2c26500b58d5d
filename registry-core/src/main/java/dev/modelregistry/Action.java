package dev.modelregistry;

/** What a principal may be allowed to do. Each mutating registry call checks exactly one. */
public enum Action {
    /** Read versions, stages and the audit trail (enforced by hosts such as a CLI; see the README). */
    READ,
    /** Register new versions. */
    REGISTER,
    /** Record evaluations and attach model cards to existing versions. */
    ANNOTATE,
    /** Ask for a promotion into a stage; it completes only after an eligible approval. */
    REQUEST_PROMOTION,
    /** Approve or reject promotion requests. */
    APPROVE,
    /** Promote into a stage; applied at once when every gate passes. */
    PROMOTE,
    /** Roll a stage back to an earlier holder. */
    ROLLBACK,
    /** Archive versions. */
    ARCHIVE,
    /** Change the gate policy and a model's canonical evaluation set. */
    CHANGE_POLICY,
    /** Change the access policy, and the trust policy (which keys may vouch for versions). */
    MANAGE_ACCESS,
    /** Sign a version's manifest with a key, attesting to exactly what it contains. */
    SIGN
}
