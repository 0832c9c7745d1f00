package hongbao.wxpay;

import java.util.Optional;

/** WeChat Pay's sign_type values. */
public enum SignType {
    MD5("MD5"),
    HMAC_SHA256("HMAC-SHA256");

    private final String wireName;

    SignType(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling WeChat uses in the sign_type field. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses the wire name; null or empty means MD5 (WeChat's default); anything else, including another letter case,
     * is an {@link IllegalArgumentException}.
     */
    public static SignType ofWireName(String name) {
        return lookup(name).orElseThrow(() -> new IllegalArgumentException("unknown sign_type: " + name));
    }

    /** Like {@link #ofWireName} but empty for an unknown name, so verification can refuse without an exception. */
    static Optional<SignType> lookup(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of(MD5);
        }
        for (SignType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
