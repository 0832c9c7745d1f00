package hongbao.http;

import hongbao.domain.Limits;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /v1/config}: what a client needs to know before its first call, without credentials: whether dev
 * login is on, the send limits (so the web UI can check amounts in yuan next to the field), the packet lifetime.
 */
final class ClientConfigEndpoint {
    private final Answer answer;

    ClientConfigEndpoint(boolean devLogin, Limits limits, Duration packetTtl) {
        // Fixed for the life of the server: rendered once.
        this.answer = Answer.json(200, Map.of(
                "devLogin", devLogin,
                "packetTtlSeconds", packetTtl.toSeconds(),
                "limits", Map.of("maxCount", limits.maxCount(), "minShare", limits.minShare(),
                        "maxShare", limits.maxShare(), "maxGreeting", limits.maxGreeting())));
    }

    Answer config(Exchange exchange) {
        return answer;
    }
}
