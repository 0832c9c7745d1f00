package hongbao.http;

import hongbao.app.PacketService;
import hongbao.app.PaymentService;
import hongbao.domain.PacketIds;
import hongbao.domain.PaymentNotice;
import hongbao.domain.Rejection;
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
    private static final Logger log = LoggerFactory.getLogger(PaymentEndpoints.class);
    private static final Pattern FEN = Pattern.compile("[1-9][0-9]{0,15}");
    private static final String XML = "application/xml; charset=UTF-8";

    private final Auth auth;
    private final PaymentService payments;
    private final PacketService packets;
    private final String providerKey;

    PaymentEndpoints(Auth auth, PaymentService payments, PacketService packets, String providerKey) {
        this.auth = auth;
        this.payments = payments;
        this.packets = packets;
        this.providerKey = providerKey;
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
        } catch (WxXmlException malformed) {
            log.warn("payment notification refused: {}", malformed.getMessage());
            return providerAnswer(400, "FAIL", "malformed notification: " + malformed.getMessage());
        }
        if (!WxSignature.verify(fields, providerKey)) {
            log.warn("payment notification with a bad signature for {}", fields.get("out_trade_no"));
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

    private static PaymentNotice notice(Map<String, String> fields) {
        String paymentId = required(fields, "out_trade_no");
        String totalFee = required(fields, "total_fee");
        if (!FEN.matcher(totalFee).matches()) {
            throw new Rejection(hongbao.domain.ErrorCode.INVALID_REQUEST, "total_fee must be a positive integer (fen)");
        }
        boolean success = "SUCCESS".equals(required(fields, "return_code")) && "SUCCESS".equals(fields.get("result_code"));
        return new PaymentNotice(paymentId, Long.parseLong(totalFee), success, fields.getOrDefault("transaction_id", ""));
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
