package hongbao.app;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * User bearer tokens: {@code base64url(userId "." expiresEpochSeconds) "." base64url(HMAC-SHA256)}. Stateless, so
 * checking one costs no query; they expire and cannot be forged without the data directory's secret.
 */
public final class TokenService {
    public static final Duration MAX_TTL = Duration.ofDays(30);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /**
     * Keyed once and never used itself: every check signs with a copy of it, which skips the provider's lookup and the
     * key's set-up that a new Mac pays on each request (a Mac is not safe to share between threads).
     */
    private final Mac keyed;
    private final Clock clock;

    public TokenService(String secret, Clock clock) {
        try {
            this.keyed = Mac.getInstance("HmacSHA256");
            keyed.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
        this.clock = clock;
    }

    public record IssuedToken(String token, Instant expiresAt) {
    }

    public IssuedToken issue(String userId, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "ttlSeconds must be 1.." + MAX_TTL.toSeconds());
        }
        Instant expiresAt = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        byte[] payload = (userId + "." + expiresAt.getEpochSecond()).getBytes(StandardCharsets.UTF_8);
        return new IssuedToken(ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload)), expiresAt);
    }

    /** The user the token names, if it is genuine and unexpired; otherwise 401. */
    public String verify(String token) {
        int dot = token.indexOf('.');
        if (dot < 1 || dot != token.lastIndexOf('.')) {
            throw unauthenticated();
        }
        String payloadText = token.substring(0, dot);
        byte[] payload;
        try {
            payload = DECODER.decode(payloadText);
        } catch (IllegalArgumentException notBase64) {
            throw unauthenticated();
        }
        // Compare the canonical encodings, not decoded bytes: base64 ignores a last character's unused bits, and a
        // token must have exactly one spelling.
        byte[] expected = (ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(payload)))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.US_ASCII))) {
            throw unauthenticated();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        int split = text.lastIndexOf('.');
        long expires = Long.parseLong(text.substring(split + 1));
        if (clock.instant().getEpochSecond() >= expires) {
            throw new Rejection(ErrorCode.UNAUTHENTICATED, "token expired");
        }
        return text.substring(0, split);
    }

    private byte[] sign(byte[] payload) {
        try {
            return ((Mac) keyed.clone()).doFinal(payload);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 of this provider cannot be copied", e);
        }
    }

    private static Rejection unauthenticated() {
        return new Rejection(ErrorCode.UNAUTHENTICATED, "invalid token");
    }
}
