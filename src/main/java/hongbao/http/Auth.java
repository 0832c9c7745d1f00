package hongbao.http;

import hongbao.app.TokenService;
import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Bearer credentials: the admin key for the host app's backend, signed tokens for users. */
final class Auth {
    private final byte[] adminKey;
    private final TokenService tokens;

    Auth(String adminKey, TokenService tokens) {
        this.adminKey = adminKey.getBytes(StandardCharsets.UTF_8);
        this.tokens = tokens;
    }

    void requireAdmin(Exchange exchange) {
        byte[] presented = bearer(exchange).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, adminKey)) {
            // A key was sent (bearer() refuses none): the usual cause is a key from another data directory or start.
            throw new Rejection(ErrorCode.UNAUTHENTICATED, "the admin key does not match this service's "
                    + "(HONGBAO_ADMIN_KEY, or admin.key in its data directory when that is unset)");
        }
    }

    /** The calling user's id. */
    String requireUser(Exchange exchange) {
        return tokens.verify(bearer(exchange));
    }

    private static String bearer(Exchange exchange) {
        String header = exchange.header("Authorization")
                .orElseThrow(() -> new Rejection(ErrorCode.UNAUTHENTICATED, "Authorization: Bearer <token> required"));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            throw new Rejection(ErrorCode.UNAUTHENTICATED, "Authorization: Bearer <token> required");
        }
        return header.substring(7).strip();
    }
}
