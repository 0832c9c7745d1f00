package hongbao.domain;

/**
 * A merchant API request refused with a WeChat err_code. Like {@link Rejection}, it is thrown before anything changes
 * (or, for NOTENOUGH, after the attempt was recorded as failed); the message is safe to show to the merchant.
 */
public final class MerchantRefusal extends RuntimeException {
    private final MerchantError code;

    public MerchantRefusal(MerchantError code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public MerchantError code() {
        return code;
    }
}
