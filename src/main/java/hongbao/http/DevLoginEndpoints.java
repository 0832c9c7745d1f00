package hongbao.http;

import hongbao.app.AccountService;
import hongbao.app.TokenService;
import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lets the web UI log in as any user without asking the host app for a token: for trying the service out on the
 * embedded store. It hands out user tokens only, never the admin key, and is off when the operator says so
 * ({@code --dev-login=false}), in which case both calls answer 404 NOT_FOUND as if they did not exist.
 */
final class DevLoginEndpoints {
    private static final Duration TOKEN_TTL = Duration.ofHours(24);

    private final boolean enabled;
    private final AccountService accounts;
    private final TokenService tokens;

    DevLoginEndpoints(boolean enabled, AccountService accounts, TokenService tokens) {
        this.enabled = enabled;
        this.accounts = accounts;
        this.tokens = tokens;
    }

    Answer users(Exchange exchange) {
        requireEnabled();
        int limit = exchange.intQuery("limit", 200, 1000);
        return Answer.json(200, Map.of("items", accounts.people(limit)));
    }

    Answer login(Exchange exchange) {
        requireEnabled();
        Requests.DevLogin request = Json.read(exchange.body(), Requests.DevLogin.class);
        accounts.requireUser(request.userId());
        TokenService.IssuedToken issued = tokens.issue(request.userId(), TOKEN_TTL);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", request.userId());
        body.put("name", accounts.userName(request.userId()).orElse(request.userId()));
        body.put("token", issued.token());
        body.put("expiresAt", issued.expiresAt().toString());
        return Answer.json(201, body);
    }

    private void requireEnabled() {
        if (!enabled) {
            throw new Rejection(ErrorCode.NOT_FOUND, "dev login is switched off on this server (--dev-login, HONGBAO_DEV_LOGIN)");
        }
    }
}
