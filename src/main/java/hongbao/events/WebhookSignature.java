package hongbao.events;

import hongbao.store.events.Event;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Hongbao-Signature} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}, as
 * Stripe signs its webhooks. Signing the time with the body lets a receiver refuse a replayed request; README's
 * receiver example shows the check.
 */
public final class WebhookSignature {
    public static final String HEADER = "Hongbao-Signature";
    public static final String DELIVERY_HEADER = "Hongbao-Delivery";
    public static final String EVENT_HEADER = "Hongbao-Event";

    private WebhookSignature() {
    }

    public static String header(String secret, Instant at, String body) {
        long seconds = at.getEpochSecond();
        return "t=" + seconds + ",v1=" + hmacHex(secret, seconds + "." + body);
    }

    private static String hmacHex(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
