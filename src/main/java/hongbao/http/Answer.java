package hongbao.http;

import hongbao.domain.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, body and its content type (JSON unless said otherwise). Errors use API.md's error body. */
record Answer(int status, String body, String contentType) {
    static final String JSON = "application/json";

    Answer(int status, String body) {
        this(status, body, JSON);
    }

    static Answer json(int status, Object value) {
        return new Answer(status, Json.write(value));
    }

    static Answer error(ErrorCode code, String message) {
        return error(code, message, Map.of());
    }

    static Answer error(ErrorCode code, String message, Map<String, String> details) {
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        error.putAll(details);
        return json(statusOf(code), Map.of("error", error));
    }

    static int statusOf(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, LIMIT_EXCEEDED -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case EVENTS_TRIMMED -> 410;
            case ALREADY_EXISTS, INSUFFICIENT_BALANCE, SNATCHED_OUT, ALREADY_CLAIMED, EXPIRED, NOT_PAYABLE,
                    IDEMPOTENCY_CONFLICT -> 409;
            case BUSY -> 429;
            case WRONG_NODE -> 421;
            case UNAVAILABLE, SET_DATABASE_BEHIND -> 503;
            case OUTCOME_UNKNOWN -> 504;
        };
    }
}
