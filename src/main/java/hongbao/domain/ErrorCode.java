package hongbao.domain;

/** The typed error codes of API v1; each maps to one HTTP status at the edge. */
public enum ErrorCode {
    INVALID_REQUEST,
    LIMIT_EXCEEDED,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    ALREADY_EXISTS,
    INSUFFICIENT_BALANCE,
    SNATCHED_OUT,
    ALREADY_CLAIMED,
    EXPIRED,
    NOT_PAYABLE,
    IDEMPOTENCY_CONFLICT,
    BUSY,
    /** A request forwarded to a node that does not own its SET either: the cluster's owners changed meanwhile. */
    WRONG_NODE,
    /** Nothing was applied (nothing was sent on, or the store refused before committing); retry. */
    UNAVAILABLE,
    /**
     * Nothing was applied: the SET's database went back in time (it lacks commits this node saw acknowledged, as after
     * a failover to an asynchronous replica), and the SET is refused until an operator restores what it lost.
     */
    SET_DATABASE_BEHIND,
    /**
     * An events cursor older than what the logs keep: events after it were trimmed, so resuming would skip them
     * silently. The error's {@code oldest} is the cursor the logs can be read from (docs/events.md).
     */
    EVENTS_TRIMMED,
    /**
     * The answer that says whether a request was applied was lost: a request passed on to its SET's owner whose answer
     * never came (a timeout, a lost reply), or a COMMIT whose answer the database connection lost. It may have been
     * applied, or may be still. The client learns the outcome as API.md says per request, never by a blind retry.
     */
    OUTCOME_UNKNOWN
}
