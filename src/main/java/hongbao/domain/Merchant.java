package hongbao.domain;

import java.util.regex.Pattern;

/**
 * A merchant of the WeChat-compatible API: its mch_id, its API key (signs requests and answers), the one app id
 * (wxappid) whose openids it sends to, and a wallet that is an ordinary user account ({@link #walletUserId}).
 */
public record Merchant(String mchId, String name, String apiKey, String wxappid) {
    /** WeChat's mch_id are 10 digits; 20 keeps the wallet and fission group ids within the 64 characters of an id. */
    private static final Pattern MCH_ID = Pattern.compile("[0-9A-Za-z]{1,20}");
    private static final Pattern APP_ID = Pattern.compile("[0-9A-Za-z_-]{1,32}");
    /** WeChat's API keys are 32 characters; any visible ASCII is accepted, at least as long. */
    private static final Pattern API_KEY = Pattern.compile("[\\x21-\\x7e]{32,128}");
    private static final String WALLET_PREFIX = "mch.";

    public Merchant {
        requireShape("mchId", mchId, MCH_ID, "1-20 characters of 0-9 A-Z a-z");
        requireShape("wxappid", wxappid, APP_ID, "1-32 characters of 0-9 A-Z a-z _ -");
        requireShape("apiKey", apiKey, API_KEY, "32-128 visible ASCII characters");
        if (name == null || name.isBlank() || name.codePointCount(0, name.length()) > 64) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "name is required, at most 64 characters");
        }
    }

    /** The user whose wallet holds the merchant's money: deposits go in, its packets are sent from it. */
    public static String walletUserId(String mchId) {
        return WALLET_PREFIX + mchId;
    }

    /** Whether a user id has the shape of a merchant's wallet (such ids are kept for merchants). */
    public static boolean isWalletUserId(String userId) {
        return userId.startsWith(WALLET_PREFIX);
    }

    public String walletUserId() {
        return walletUserId(mchId);
    }

    public static boolean isMchId(String value) {
        return value != null && MCH_ID.matcher(value).matches();
    }

    public boolean sameAs(Merchant other) {
        return mchId.equals(other.mchId) && name.equals(other.name) && apiKey.equals(other.apiKey)
                && wxappid.equals(other.wxappid);
    }

    /** Never prints the key: merchants end up in logs and exception messages. */
    @Override
    public String toString() {
        return "Merchant[mchId=" + mchId + ", name=" + name + ", wxappid=" + wxappid + "]";
    }

    private static void requireShape(String field, String value, Pattern shape, String description) {
        if (value == null || !shape.matcher(value).matches()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, field + " must be " + description);
        }
    }
}
