package hongbao.http;

import hongbao.app.AccountService;
import hongbao.app.TokenService;
import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The host app's backend calls: users, tokens, deposits, groups, audit. */
final class AdminEndpoints {
    private static final long DEFAULT_TOKEN_TTL = 86_400;

    private final AccountService accounts;
    private final TokenService tokens;
    private final IdempotencyGuard idempotency;
    private final OperatorSummary operatorSummary;

    AdminEndpoints(AccountService accounts, TokenService tokens, IdempotencyGuard idempotency,
            OperatorSummary operatorSummary) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.idempotency = idempotency;
        this.operatorSummary = operatorSummary;
    }

    Answer createUser(Exchange exchange) {
        Requests.CreateUser request = Json.read(exchange.body(), Requests.CreateUser.class);
        boolean created = accounts.createUser(request.userId(), request.name());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", request.userId());
        body.put("name", request.name());
        return Answer.json(created ? 201 : 200, body);
    }

    Answer createUsers(Exchange exchange) {
        Requests.CreateUsers request = Json.read(exchange.body(), Requests.CreateUsers.class);
        if (request.users() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "users are required");
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (Requests.CreateUser user : request.users()) {
            if (user == null || user.userId() == null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "each user needs a userId and a name");
            }
            if (names.put(user.userId(), user.name()) != null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "user " + user.userId() + " appears twice");
            }
        }
        int created = accounts.createUsers(names);
        return Answer.json(200, Map.of("users", names.size(), "created", created));
    }

    Answer issueToken(Exchange exchange) {
        String userId = exchange.pathParam("userId");
        accounts.requireUser(userId);
        long ttl = exchange.body().length == 0 ? DEFAULT_TOKEN_TTL
                : orDefault(Json.read(exchange.body(), Requests.IssueToken.class).ttlSeconds(), DEFAULT_TOKEN_TTL);
        if (ttl < 1 || ttl > TokenService.MAX_TTL.toSeconds()) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "ttlSeconds must be 1.." + TokenService.MAX_TTL.toSeconds());
        }
        TokenService.IssuedToken issued = tokens.issue(userId, Duration.ofSeconds(ttl));
        return Answer.json(201, Map.of("token", issued.token(), "expiresAt", issued.expiresAt().toString()));
    }

    Answer deposit(Exchange exchange) {
        return bankMovement(exchange, accounts::deposit);
    }

    Answer withdraw(Exchange exchange) {
        return bankMovement(exchange, accounts::withdraw);
    }

    @FunctionalInterface
    private interface BankMovement {
        long apply(String userId, long amount, String reference);
    }

    private Answer bankMovement(Exchange exchange, BankMovement movement) {
        String userId = exchange.pathParam("userId");
        return idempotency.run(exchange, "admin", false, slot -> {
            Requests.BankMovement request = Json.read(exchange.body(), Requests.BankMovement.class);
            if (request.amount() == null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "amount is required");
            }
            long balance = movement.apply(userId, request.amount(), request.reference());
            return Answer.json(201, Map.of("balance", balance));
        });
    }

    Answer createGroup(Exchange exchange) {
        Requests.CreateGroup request = Json.read(exchange.body(), Requests.CreateGroup.class);
        var members = accounts.createGroup(request.groupId(), request.name(), request.members());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("groupId", request.groupId());
        body.put("name", request.name());
        body.put("members", members);
        return Answer.json(201, body);
    }

    Answer addMembers(Exchange exchange) {
        String groupId = exchange.pathParam("groupId");
        Requests.AddMembers request = Json.read(exchange.body(), Requests.AddMembers.class);
        var members = accounts.addMembers(groupId, request.userIds());
        return Answer.json(200, Map.of("groupId", groupId, "members", members));
    }

    Answer removeMember(Exchange exchange) {
        String groupId = exchange.pathParam("groupId");
        var members = accounts.removeMember(groupId, exchange.pathParam("userId"));
        return Answer.json(200, Map.of("groupId", groupId, "members", members));
    }

    Answer audit(Exchange exchange) {
        return Answer.json(200, accounts.audit());
    }

    /** The operator page's data: engine meters and the last expiry refunds (the audit is its own call: it scans). */
    Answer summary(Exchange exchange) {
        return Answer.json(200, operatorSummary.read());
    }

    private static long orDefault(Long value, long fallback) {
        return value == null ? fallback : value;
    }
}
