package hongbao.domain;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * WeChat's rules for sendredpack and sendgroupredpack fields: which are required, their shapes and lengths, and the
 * amount bounds. Refusals are {@link MerchantRefusal}s with WeChat's err_code (PARAM_ERROR, MONEY_LIMIT).
 */
public final class RedpackRules {
    /** WeChat's days and times are Beijing time (no daylight saving). */
    public static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter WECHAT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern BILLNO = Pattern.compile("[0-9A-Za-z]{1,28}");
    private static final Pattern OPENID = Pattern.compile("[0-9A-Za-z_-]{1,64}");
    private static final Pattern FEN = Pattern.compile("[1-9][0-9]{0,15}");
    private static final Pattern COUNT = Pattern.compile("[1-9][0-9]{0,3}");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
    private static final Set<String> SCENES = Set.of("PRODUCT_1", "PRODUCT_2", "PRODUCT_3", "PRODUCT_4", "PRODUCT_5",
            "PRODUCT_6", "PRODUCT_7", "PRODUCT_8");
    private static final String ALL_RAND = "ALL_RAND";

    private RedpackRules() {
    }

    /**
     * The fields every signed merchant request must carry in a usable shape, whatever its API. Every value is signed
     * raw, so a '&' in any value would let two different requests sign alike (WxSignature's caveat); none may hold one.
     */
    public static void checkEnvelope(Map<String, String> fields) {
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getValue().indexOf('&') >= 0) {
                throw paramError(field.getKey() + " must not contain '&'");
            }
        }
        text(fields, "nonce_str", 32);
    }

    /** Validates a send request of the given type into an order. */
    public static RedpackOrder order(HbType type, Map<String, String> fields, MerchantLimits limits) {
        checkEnvelope(fields);
        String billno = shaped(fields, "mch_billno", BILLNO, "1-28 characters of 0-9 a-z A-Z");
        String openid = shaped(fields, "re_openid", OPENID, "1-64 characters of 0-9 a-z A-Z _ -");
        long total = Long.parseLong(shaped(fields, "total_amount", FEN, "a positive integer (fen)"));
        int num = Integer.parseInt(shaped(fields, "total_num", COUNT, "a positive integer"));
        String sendName = text(fields, "send_name", 32);
        String wishing = text(fields, "wishing", MerchantLimits.MAX_WISHING);
        String actName = text(fields, "act_name", 32);
        String remark = text(fields, "remark", 256);
        String scene = fields.getOrDefault("scene_id", "");
        if (!scene.isEmpty() && !SCENES.contains(scene)) {
            throw paramError("scene_id must be one of PRODUCT_1..PRODUCT_8");
        }
        optionalText(fields, "risk_info", 128);
        if (type == HbType.NORMAL) {
            shaped(fields, "client_ip", IPV4, "an IPv4 address");
            if (num != 1) {
                throw paramError("total_num must be 1 for sendredpack");
            }
        } else {
            if (!ALL_RAND.equals(fields.get("amt_type"))) {
                throw paramError("amt_type must be ALL_RAND");
            }
            if (num < MerchantLimits.MIN_GROUP_NUM || num > MerchantLimits.MAX_GROUP_NUM) {
                throw paramError("total_num must be " + MerchantLimits.MIN_GROUP_NUM + "-" + MerchantLimits.MAX_GROUP_NUM);
            }
        }
        checkAmount(total, num, limits);
        return new RedpackOrder(type, billno, openid, total, num, sendName, wishing, actName, remark, scene);
    }

    /** gethbinfo's mch_billno and bill_type (only MCHT, a query by the merchant's bill number, exists). */
    public static String billQuery(Map<String, String> fields) {
        checkEnvelope(fields);
        if (!"MCHT".equals(fields.get("bill_type"))) {
            throw paramError("bill_type must be MCHT");
        }
        return shaped(fields, "mch_billno", BILLNO, "1-28 characters of 0-9 a-z A-Z");
    }

    /** Each share between the merchant's minimum and maximum: for a packet of one share, its total. */
    private static void checkAmount(long total, int num, MerchantLimits limits) {
        if (total < limits.minAmount() * num || total > limits.maxAmount() * num) {
            throw new MerchantRefusal(MerchantError.MONEY_LIMIT, num == 1
                    ? "total_amount must be " + limits.minAmount() + "-" + limits.maxAmount() + " fen"
                    : "each of the " + num + " shares must be " + limits.minAmount() + "-" + limits.maxAmount()
                            + " fen, so total_amount " + limits.minAmount() * num + "-" + limits.maxAmount() * num);
        }
    }

    /** The shape openids must have wherever they appear (bindings, requests, entries). */
    public static boolean isOpenid(String value) {
        return value != null && OPENID.matcher(value).matches();
    }

    /** The Beijing calendar day of an instant, as the per-user daily send count keys it. */
    public static String beijingDay(Instant at) {
        return LocalDateTime.ofInstant(at, BEIJING).toLocalDate().toString();
    }

    /** WeChat's time format, "2026-11-25 20:34:26", in Beijing time. */
    public static String wechatTime(Instant at) {
        return LocalDateTime.ofInstant(at, BEIJING).format(WECHAT_TIME);
    }

    private static String shaped(Map<String, String> fields, String name, Pattern shape, String description) {
        String value = required(fields, name);
        if (!shape.matcher(value).matches()) {
            throw paramError(name + " must be " + description);
        }
        return value;
    }

    private static String text(Map<String, String> fields, String name, int maxChars) {
        String value = required(fields, name);
        if (value.codePointCount(0, value.length()) > maxChars) {
            throw paramError(name + " must be at most " + maxChars + " characters");
        }
        return value;
    }

    private static void optionalText(Map<String, String> fields, String name, int maxChars) {
        String value = fields.getOrDefault(name, "");
        if (value.codePointCount(0, value.length()) > maxChars) {
            throw paramError(name + " must be at most " + maxChars + " characters");
        }
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        // WeChat treats an empty field as absent: it is neither signed nor accepted.
        if (value == null || value.isEmpty()) {
            throw paramError(name + " is required");
        }
        return value;
    }

    private static MerchantRefusal paramError(String message) {
        return new MerchantRefusal(MerchantError.PARAM_ERROR, message);
    }
}
