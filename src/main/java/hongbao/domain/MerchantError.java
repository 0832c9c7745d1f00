package hongbao.domain;

/**
 * WeChat Pay's err_code values that the merchant API answers with, as its cash red packet APIs define them. The first
 * two are protocol errors (return_code FAIL); the others are business results (return_code SUCCESS, result_code FAIL).
 */
public enum MerchantError {
    /** The body is not a flat WeChat XML document. */
    XML_ERROR,
    /** The signature does not verify with the merchant's key. */
    SIGN_ERROR,
    /** A field is missing, too long or malformed; wxappid does not belong to mch_id; total_num or amt_type is wrong. */
    PARAM_ERROR,
    /** The amount is outside the merchant's packet range. */
    MONEY_LIMIT,
    /** re_openid is not an openid of wxappid that the merchant has bound to a user. */
    OPENID_ERROR,
    /** The user already received the day's most packets from this merchant. */
    SENDNUM_LIMIT,
    /** The merchant sends faster than its per-minute rate. */
    FREQ_LIMIT,
    /** The merchant's wallet holds less than the packet's total. */
    NOTENOUGH,
    /** The mch_billno was used before with other parameters (WeChat: "openid和原始单参数不一致"). */
    FATAL_ERROR,
    /** gethbinfo: no bill has this mch_billno. */
    NOT_FOUND,
    /** The outcome is not known (the store failed or is busy): retry with the same mch_billno, never a new one. */
    SYSTEMERROR
}
