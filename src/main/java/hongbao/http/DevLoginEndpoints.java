package hongbao.http;

import hongbao.app.AccountService;
import hongbao.app.TokenService;
import hongbao.domain.ErrorCode;
import hongbao.domain.Merchant;
import hongbao.domain.Rejection;
import java.time.Duration;
import hongbao.app.Directory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets the web UI log in as any user without asking the host app for a token: for trying the service out on the
 * embedded store. It hands out user tokens only, never the admin key, never for a merchant's wallet, and only to a
 * browser on this machine: a client elsewhere, or one a proxy forwards, is refused 403 FORBIDDEN, so a server that
 * listens on every address does not hand its users' wallets to the network. It is off when the operator says so
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
        requireAllowed(exchange);
        int limit = exchange.intQuery("limit", 200, 1000);
        List<Directory.Person> people = accounts.people(limit).stream()
                .filter(person -> !Merchant.isWalletUserId(person.userId())).toList();
        return Answer.json(200, Map.of("items", people));
    }

    Answer login(Exchange exchange) {
        requireAllowed(exchange);
        Requests.DevLogin request = Json.read(exchange.body(), Requests.DevLogin.class);
        accounts.requireUser(request.userId());
        if (Merchant.isWalletUserId(request.userId())) {
            throw new Rejection(ErrorCode.FORBIDDEN, "a merchant's wallet cannot be logged into");
        }
        TokenService.IssuedToken issued = tokens.issue(request.userId(), TOKEN_TTL);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", request.userId());
        body.put("name", accounts.userName(request.userId()).orElse(request.userId()));
        body.put("token", issued.token());
        body.put("expiresAt", issued.expiresAt().toString());
        return Answer.json(201, body);
    }

    /** Whether this client may use dev login: it is on and the client is on this machine. */
    boolean offeredTo(Exchange exchange) {
        return enabled && exchange.fromThisMachine();
    }

    private void requireAllowed(Exchange exchange) {
        if (!enabled) {
            throw new Rejection(ErrorCode.NOT_FOUND, "dev login is switched off on this server (--dev-login, HONGBAO_DEV_LOGIN)");
        }
        if (!exchange.fromThisMachine()) {
            throw new Rejection(ErrorCode.FORBIDDEN, "dev login answers only browsers on the server's own machine, "
                    + "not through a proxy; log in with a user token (POST /v1/admin/users/{userId}/tokens)");
        }
    }
}
