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
    UNAVAILABLE
}
