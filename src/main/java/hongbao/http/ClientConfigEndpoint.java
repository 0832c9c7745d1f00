package hongbao.http;

import hongbao.domain.Limits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/config}: what a client needs to know before its first call, without credentials: whether dev
 * login is on, the send limits (so the web UI can check amounts in yuan next to the field), the packet lifetime.
 */
final class ClientConfigEndpoint {
    private final Answer answer;

    ClientConfigEndpoint(boolean devLogin, Limits limits, Duration packetTtl) {
        // Fixed for the life of the server: rendered once.
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("maxCount", limits.maxCount());
        shown.put("minShare", limits.minShare());
        shown.put("maxShare", limits.maxShare());
        shown.put("maxGreeting", limits.maxGreeting());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("devLogin", devLogin);
        body.put("packetTtlSeconds", packetTtl.toSeconds());
        body.put("limits", shown);
        this.answer = Answer.json(200, body);
    }

    Answer config(Exchange exchange) {
        return answer;
    }
}
