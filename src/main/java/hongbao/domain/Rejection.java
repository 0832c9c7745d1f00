package hongbao.domain;

/**
 * A request that breaks a rule. Thrown before anything changes, so the caller can answer it as a 4xx
 * and know that no state was touched.
 */
public final class Rejection extends RuntimeException {
    private final ErrorCode code;

    public Rejection(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
