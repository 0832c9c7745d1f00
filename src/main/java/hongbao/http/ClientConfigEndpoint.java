package hongbao.http;

import hongbao.domain.Limits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/config}: what a client needs to know before its first call, without credentials: whether dev
 * login is offered to it, the send limits (so the web UI can check amounts in yuan next to the field), the packet lifetime.
 */
final class ClientConfigEndpoint {
    private final DevLoginEndpoints devLogin;
    private final Map<String, Object> limits;
    private final long packetTtlSeconds;

    ClientConfigEndpoint(DevLoginEndpoints devLogin, Limits limits, Duration packetTtl) {
        this.devLogin = devLogin;
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("maxCount", limits.maxCount());
        shown.put("minShare", limits.minShare());
        shown.put("maxShare", limits.maxShare());
        shown.put("maxGreeting", limits.maxGreeting());
        this.limits = shown;
        this.packetTtlSeconds = packetTtl.toSeconds();
    }

    /** {@code devLogin} is whether this client may use it: a browser elsewhere is shown the token login instead. */
    Answer config(Exchange exchange) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("devLogin", devLogin.offeredTo(exchange));
        body.put("packetTtlSeconds", packetTtlSeconds);
        body.put("limits", limits);
        return Answer.json(200, body);
    }
}
