package hongbao.domain;

/**
 * A request that breaks a rule. Thrown before anything changes, so the caller can answer it as a 4xx
 * and know that no state was touched.
 */
public final class Rejection extends RuntimeException {
    private final ErrorCode code;
    private final java.util.Map<String, String> details;

    public Rejection(ErrorCode code, String message) {
        this(code, message, java.util.Map.of());
    }

    /** @param details what a client acts on besides the code, shown beside it (API.md names them per code) */
    public Rejection(ErrorCode code, String message, java.util.Map<String, String> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = java.util.Map.copyOf(details);
    }

    public java.util.Map<String, String> details() {
        return details;
    }

    public ErrorCode code() {
        return code;
    }
}
