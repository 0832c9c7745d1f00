package hongbao.http;

import hongbao.app.PacketService;
import hongbao.app.PaymentService;
import hongbao.domain.PacketIds;
import hongbao.domain.PaymentNotice;
import hongbao.domain.Rejection;
import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import hongbao.wxpay.WxXml;
import hongbao.wxpay.WxXmlException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Third-party payment calls: the sender's client confirmation (JSON, with a user token), the provider's signed
 * notification (WeChat Pay's XML and answer convention, see docs/payments.md), and the operators' refund list.
 */
final class PaymentEndpoints {
    /**
     * The body cap of a notification, whatever HONGBAO_MAX_BODY_BYTES says if it is smaller: the longest notification
     * WeChat Pay's documented field lengths allow (promotion_detail 6,000 characters, the other fields at most 128
     * each, as many fields as WxXml takes, up to 3 UTF-8 bytes a character) is about 46 KiB.
     */
    static final int NOTIFICATION_BODY_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(PaymentEndpoints.class);
    private static final Pattern FEN = Pattern.compile("[1-9][0-9]{0,15}");
    private static final String XML = "application/xml; charset=UTF-8";

    private final Auth auth;
    private final PaymentService payments;
    private final PacketService packets;
    private final String providerKey;
    private final SignType providerSignType;

    PaymentEndpoints(Auth auth, PaymentService payments, PacketService packets, String providerKey,
            SignType providerSignType) {
        this.auth = auth;
        this.payments = payments;
        this.packets = packets;
        this.providerKey = providerKey;
        this.providerSignType = providerSignType;
    }

    Answer clientConfirm(Exchange exchange) {
        String userId = auth.requireUser(exchange);
        long packetId = PacketIds.parse(exchange.pathParam("id"));
        payments.clientConfirm(userId, packetId);
        return Answer.json(200, packets.view(userId, packetId));
    }

    /** Always answers in the provider's terms: SUCCESS stops its retries, FAIL (with a 4xx/5xx) makes it retry or alert. */
    Answer notify(Exchange exchange) {
        Map<String, String> fields;
        try {
            fields = WxXml.parse(exchange.body());
        } catch (Exchange.BodyTooLarge tooLarge) {
            log.warn("payment notification refused: {}", tooLarge.getMessage());
            return providerAnswer(413, "FAIL", tooLarge.getMessage());
        } catch (WxXmlException malformed) {
            log.warn("payment notification refused: {}", malformed.getMessage());
            return providerAnswer(400, "FAIL", "malformed notification: " + malformed.getMessage());
        }
        if (!WxSignature.verify(fields, providerKey, providerSignType)) {
            log.warn("payment notification with a bad signature for {}{}", fields.get("out_trade_no"),
                    signTypeHint(fields.get("sign")));
            return providerAnswer(401, "FAIL", "SIGN_ERROR: signature does not verify");
        }
        try {
            payments.notify(notice(fields));
            return providerAnswer(200, "SUCCESS", "OK");
        } catch (Rejection refused) {
            return providerAnswer(Answer.statusOf(refused.code()), "FAIL", refused.code() + ": " + refused.getMessage());
        }
    }

    Answer refundsDue(Exchange exchange) {
        int limit = exchange.intQuery("limit", 100, 1000);
        return Answer.json(200, Map.of("items", payments.refundsDue(limit)));
    }

    /**
     * An operator's likeliest mistake, said in the log: an HMAC-SHA256 signature is 64 hex digits, an MD5 one 32, and
     * WeChat's notifications do not say which they are.
     */
    private String signTypeHint(String sign) {
        SignType bySize = sign == null ? null : switch (sign.length()) {
            case 32 -> SignType.MD5;
            case 64 -> SignType.HMAC_SHA256;
            default -> null;
        };
        return bySize == null || bySize == providerSignType ? ""
                : " (it looks " + bySize.wireName() + ", but HONGBAO_PAYMENT_SIGN_TYPE is " + providerSignType.wireName() + ")";
    }

    /**
     * The amount is what arrived: settlement_total_fee when the provider sends it (WeChat does when a coupon the
     * merchant funds, 免充值券, paid part of the order: total_fee minus that coupon is all the merchant gets), else
     * total_fee (coupons WeChat funds from a recharged budget, 充值券, leave total_fee whole). See docs/payments.md.
     */
    private static PaymentNotice notice(Map<String, String> fields) {
        String paymentId = required(fields, "out_trade_no");
        long totalFee = fen("total_fee", required(fields, "total_fee"));
        String settlement = fields.get("settlement_total_fee");
        long arrived = settlement == null || settlement.isEmpty() ? totalFee : fen("settlement_total_fee", settlement);
        boolean success = "SUCCESS".equals(required(fields, "return_code")) && "SUCCESS".equals(fields.get("result_code"));
        return new PaymentNotice(paymentId, arrived, success, fields.getOrDefault("transaction_id", ""));
    }

    private static long fen(String name, String value) {
        if (!FEN.matcher(value).matches()) {
            throw new Rejection(hongbao.domain.ErrorCode.INVALID_REQUEST, name + " must be a positive integer (fen)");
        }
        return Long.parseLong(value);
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new Rejection(hongbao.domain.ErrorCode.INVALID_REQUEST, name + " is required");
        }
        return value;
    }

    private static Answer providerAnswer(int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("return_code", code);
        body.put("return_msg", message);
        return new Answer(status, WxXml.write(body), XML);
    }
}
