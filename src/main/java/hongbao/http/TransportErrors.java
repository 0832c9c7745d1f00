package hongbao.http;

import hongbao.domain.ErrorCode;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;

/**
 * Requests the server refuses before any route sees them (bad percent-encoding, a URI or header too long, a broken
 * Content-Length) still get API.md's error body, with the server's status.
 */
final class TransportErrors {
    private TransportErrors() {
    }

    static DirectHandlers handlers() {
        DirectHandler handler = TransportErrors::answer;
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private static DirectHandler.TransportResponse answer(DirectHandler.TransportRequest request,
            DirectHandler.EventType type, Status status, ServerResponseHeaders headers, String message) {
        ErrorCode code = switch (status.code()) {
            case 413, 414, 431 -> ErrorCode.LIMIT_EXCEEDED;
            case 403 -> ErrorCode.FORBIDDEN;
            default -> status.code() >= 500 && status.code() != 505 ? ErrorCode.UNAVAILABLE : ErrorCode.INVALID_REQUEST;
        };
        String text = status.code() >= 500 && status.code() != 505 ? "internal error" : "the request could not be read: " + status.reasonPhrase();
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(Answer.error(code, text).body().getBytes(StandardCharsets.UTF_8))
                .keepAlive(type.keepAlive())
                .build();
    }
}
