package hongbao.wxpay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat Pay v2 signatures: a digest of the sorted {@code k=v} pairs with the merchant API key appended.
 *
 * <p>Values are signed raw, so {@code {a="1&b=2"}} and {@code {a="1", b="2"}} sign alike; that ambiguity is WeChat's
 * and callers that accept free text must bound what a value may contain. WeChat's own Java SDK also trims values before
 * signing; this class follows the documented rule (raw values, only empty ones skipped) instead.
 */
public final class WxSignature {
    static final String SIGN = "sign";
    static final String SIGN_TYPE = "sign_type";
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    private WxSignature() {
    }

    /**
     * The string WeChat signs: parameters with non-empty values, except "sign", sorted by name in ASCII order,
     * as k=v joined by '&amp;', then "&amp;key=" + key. (Values are used raw, not URL-encoded.)
     */
    public static String stringToSign(Map<String, String> params, String key) {
        requireKey(key);
        StringBuilder text = new StringBuilder();
        // Names are ASCII in practice, and for ASCII String's natural order is WeChat's byte order.
        new TreeMap<>(params).forEach((name, value) -> {
            if (!name.equals(SIGN) && value != null && !value.isEmpty()) {
                text.append(name).append('=').append(value).append('&');
            }
        });
        return text.append("key=").append(key).toString();
    }

    /**
     * MD5: uppercase hex MD5 of stringToSign (UTF-8). HMAC_SHA256: uppercase hex HMAC-SHA256 of stringToSign keyed by
     * key (UTF-8).
     */
    public static String sign(Map<String, String> params, String key, SignType type) {
        byte[] text = stringToSign(params, key).getBytes(StandardCharsets.UTF_8);
        return UPPER_HEX.formatHex(switch (type) {
            case MD5 -> md5(text);
            case HMAC_SHA256 -> hmacSha256(text, key);
        });
    }

    /**
     * Returns a copy of params, in their order, with "sign" set. For HMAC_SHA256 "sign_type=HMAC-SHA256" is put first,
     * because WeChat signs sign_type whenever it is sent; for MD5 sign_type is left as the caller gave it (absent means
     * MD5). A sign_type in params naming another type than {@code type} is an {@link IllegalArgumentException}: the
     * result would never verify.
     */
    public static Map<String, String> signed(Map<String, String> params, String key, SignType type) {
        String declared = params.get(SIGN_TYPE);
        if (declared != null && SignType.lookup(declared).filter(type::equals).isEmpty()) {
            throw new IllegalArgumentException("params say sign_type=" + declared + " but are signed with "
                    + type.wireName());
        }
        Map<String, String> copy = new LinkedHashMap<>(params);
        if (type == SignType.HMAC_SHA256) {
            copy.put(SIGN_TYPE, type.wireName());
        }
        copy.put(SIGN, sign(copy, key, type));
        return copy;
    }

    /**
     * True when params carry a "sign" made with the sign_type they name (absent = MD5); see
     * {@link #verify(Map, String, SignType)}. False (never an exception) for a missing sign or an unknown sign_type.
     */
    public static boolean verify(Map<String, String> params, String key) {
        requireKey(key);
        return SignType.lookup(params.get(SIGN_TYPE)).map(type -> verify(params, key, type)).orElse(false);
    }

    /**
     * True when params carry a "sign" equal to their signature of {@code type}, compared in constant time
     * (MessageDigest.isEqual on the bytes) and case-sensitively on uppercase hex as WeChat produces it. A sign_type
     * field, when present, must name {@code type} (absent, the caller's {@code type} holds, as WeChat's payment
     * notifications leave it out), and may have been signed or not: WeChat's documentation signs every
     * field sent, while widely used clients (WxJava's red packet and query requests) send sign_type but leave it out of
     * the signed string. Either way every other field is covered, and sign_type only selects the algorithm that must
     * then match. False (never an exception) for a missing sign or a sign_type naming another type.
     */
    public static boolean verify(Map<String, String> params, String key, SignType type) {
        requireKey(key);
        String given = params.get(SIGN);
        String declared = params.get(SIGN_TYPE);
        boolean undeclared = declared == null || declared.isEmpty();
        if (given == null || given.isEmpty()
                || !undeclared && SignType.lookup(declared).filter(type::equals).isEmpty()) {
            return false;
        }
        byte[] givenBytes = given.getBytes(StandardCharsets.US_ASCII);
        boolean signedWithSignType = MessageDigest.isEqual(sign(params, key, type).getBytes(StandardCharsets.US_ASCII),
                givenBytes);
        if (undeclared) {
            return signedWithSignType;
        }
        Map<String, String> withoutSignType = new LinkedHashMap<>(params);
        withoutSignType.remove(SIGN_TYPE);
        boolean signedWithoutSignType = MessageDigest.isEqual(
                sign(withoutSignType, key, type).getBytes(StandardCharsets.US_ASCII), givenBytes);
        return signedWithSignType | signedWithoutSignType;
    }

    private static void requireKey(String key) {
        // An empty key would make every signature computable by anyone; that is a configuration error, not input.
        if (Objects.requireNonNull(key, "key").isEmpty()) {
            throw new IllegalArgumentException("the API key must not be empty");
        }
    }

    private static byte[] md5(byte[] text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 unavailable", e);
        }
    }

    private static byte[] hmacSha256(byte[] text, String key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(text);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
