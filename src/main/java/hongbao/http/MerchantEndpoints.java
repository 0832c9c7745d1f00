package hongbao.http;

import hongbao.app.MerchantDirectory;
import hongbao.app.RedpackService;
import hongbao.domain.HbType;
import hongbao.domain.Merchant;
import hongbao.domain.MerchantError;
import hongbao.domain.MerchantRefusal;
import hongbao.domain.RedpackOrder;
import hongbao.domain.RedpackRules;
import hongbao.domain.RedpackStatus;
import hongbao.store.StoreException;
import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import hongbao.wxpay.WxXml;
import hongbao.wxpay.WxXmlException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeChat Pay's cash red packet API (docs/merchant-api.md): sendredpack, sendgroupredpack, gethbinfo. XML in and out,
 * always HTTP 200 (413 for an oversized body) as WeChat answers: return_code FAIL for a request that cannot be
 * authenticated (bad XML, unknown merchant, bad signature), else return_code SUCCESS with result_code SUCCESS or FAIL
 * and WeChat's err_code. Answers of the send calls to authenticated requests are signed with the merchant's key, the
 * way it signed; gethbinfo's answers are not signed, as WeChat signs none of them.
 */
final class MerchantEndpoints {
    static final String SEND_REDPACK = "/mmpaymkttransfers/sendredpack";
    static final String SEND_GROUP_REDPACK = "/mmpaymkttransfers/sendgroupredpack";
    static final String GET_HB_INFO = "/mmpaymkttransfers/gethbinfo";
    private static final Logger log = LoggerFactory.getLogger(MerchantEndpoints.class);
    private static final String XML = "application/xml; charset=UTF-8";
    /** Not part of what makes two sends of a bill the same request: a retry carries a new nonce and so a new sign. */
    private static final Set<String> UNHASHED = Set.of("nonce_str", "sign", "sign_type");
    private static final List<String> ECHOED = List.of("mch_billno", "mch_id", "wxappid", "re_openid", "total_amount");

    private final MerchantDirectory merchants;
    private final RedpackService redpacks;
    private final SecureRandom nonces = new SecureRandom();

    MerchantEndpoints(MerchantDirectory merchants, RedpackService redpacks) {
        this.merchants = merchants;
        this.redpacks = redpacks;
    }

    Answer sendRedpack(Exchange exchange) {
        return authenticated(exchange, true, (merchant, fields, answers) -> send(HbType.NORMAL, merchant, fields, answers));
    }

    Answer sendGroupRedpack(Exchange exchange) {
        return authenticated(exchange, true, (merchant, fields, answers) -> send(HbType.GROUP, merchant, fields, answers));
    }

    /**
     * Unsigned, as WeChat answers it: a signature over a document holding a list has no agreed string (clients take the
     * list's text content), so any sign here would fail the clients that check one.
     */
    Answer getHbInfo(Exchange exchange) {
        return authenticated(exchange, false, (merchant, fields, answers) -> hbInfo(merchant, fields));
    }

    @FunctionalInterface
    private interface MerchantCall {
        Answer handle(Merchant merchant, Map<String, String> fields, AnswerWriter answers);
    }

    /**
     * Writes a call's answers: signed with the merchant's key the way the request was signed (with a fresh nonce_str),
     * or, for {@code signType} null, unsigned.
     */
    private record AnswerWriter(Merchant merchant, SignType signType, SecureRandom nonces) {
        String xml(Map<String, String> answer) {
            if (signType == null) {
                return WxXml.write(answer);
            }
            answer.put("nonce_str", nonce());
            return WxXml.write(WxSignature.signed(answer, merchant.apiKey(), signType));
        }

        /**
         * A bill's stored answer (signed as its first request was), as it is when this call is signed the same way, else
         * signed afresh the way this call is: a replay may be signed otherwise than the first request (a client switched
         * from MD5 to HMAC-SHA256), and its client checks the answer with its own sign type.
         */
        String signedAsThisCall(String storedAnswer) {
            Map<String, String> answer;
            try {
                answer = new LinkedHashMap<>(WxXml.parse(storedAnswer.getBytes(StandardCharsets.UTF_8)));
            } catch (WxXmlException unreadable) {
                throw new IllegalStateException("a stored merchant answer is not WeChat XML", unreadable);
            }
            if (SignType.ofWireName(answer.get("sign_type")) == signType) {
                return storedAnswer;
            }
            answer.keySet().removeAll(UNHASHED); // the first request's nonce_str, sign and sign_type
            return xml(answer);
        }

        private String nonce() {
            byte[] bytes = new byte[16];
            nonces.nextBytes(bytes);
            return HexFormat.of().withUpperCase().formatHex(bytes);
        }
    }

    /** Parses and authenticates the request, then answers it in WeChat's terms whatever happens. */
    private Answer authenticated(Exchange exchange, boolean signedAnswers, MerchantCall call) {
        Map<String, String> fields;
        try {
            fields = WxXml.parse(exchange.body());
        } catch (Exchange.BodyTooLarge tooLarge) {
            return unauthenticated(413, MerchantError.XML_ERROR, tooLarge.getMessage());
        } catch (WxXmlException malformed) {
            return unauthenticated(200, MerchantError.XML_ERROR, "the body is not WeChat's XML: " + malformed.getMessage());
        }
        String mchId = fields.get("mch_id");
        Optional<Merchant> merchant = Merchant.isMchId(mchId) ? merchants.merchant(mchId) : Optional.empty();
        if (merchant.isEmpty()) {
            return unauthenticated(200, MerchantError.PARAM_ERROR, "mch_id is not a merchant of this service");
        }
        if (!WxSignature.verify(fields, merchant.get().apiKey())) {
            log.warn("merchant {}: a request to {} with a bad signature", mchId, exchange.path());
            return unauthenticated(200, MerchantError.SIGN_ERROR, "the signature does not verify with the merchant's key");
        }
        AnswerWriter answers = new AnswerWriter(merchant.get(),
                signedAnswers ? SignType.ofWireName(fields.get("sign_type")) : null, nonces);
        try {
            return call.handle(merchant.get(), fields, answers);
        } catch (MerchantRefusal refused) {
            return refusal(fields, answers, refused.code(), refused.getMessage());
        } catch (StoreException storeFailure) {
            log.error("merchant {}: store failure on {}", mchId, exchange.path(), storeFailure);
            return refusal(fields, answers, MerchantError.SYSTEMERROR,
                    "storage is unavailable; retry with the same mch_billno");
        } catch (RuntimeException bug) {
            log.error("merchant {}: unexpected failure on {}", mchId, exchange.path(), bug);
            return refusal(fields, answers, MerchantError.SYSTEMERROR,
                    "internal error; query the bill or retry with the same mch_billno");
        }
    }

    private Answer send(HbType type, Merchant merchant, Map<String, String> fields, AnswerWriter answers) {
        RedpackOrder order = RedpackRules.order(type, fields, redpacks.limits());
        requireOwnApp(merchant, fields.get("wxappid"));
        String api = type == HbType.NORMAL ? "sendredpack" : "sendgroupredpack";
        String body = redpacks.send(merchant, order, requestHash(api, fields),
                packet -> answers.xml(sent(merchant, order, packet.id())));
        return new Answer(200, answers.signedAsThisCall(body), XML);
    }

    private Map<String, String> sent(Merchant merchant, RedpackOrder order, long packetId) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("return_msg", "发放成功");
        answer.put("result_code", "SUCCESS");
        answer.put("mch_billno", order.billno());
        answer.put("mch_id", merchant.mchId());
        answer.put("wxappid", merchant.wxappid());
        answer.put("re_openid", order.openid());
        answer.put("total_amount", Long.toString(order.totalAmount()));
        answer.put("send_listid", Long.toString(packetId));
        return answer;
    }

    private Answer hbInfo(Merchant merchant, Map<String, String> fields) {
        String billno = RedpackRules.billQuery(fields);
        requireOwnApp(merchant, fields.get("appid"));
        RedpackService.BillInfo info = redpacks.info(merchant, billno);
        RedpackOrder order = info.bill().order();
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("return_msg", "OK");
        answer.put("result_code", "SUCCESS");
        answer.put("mch_billno", billno);
        answer.put("mch_id", merchant.mchId());
        answer.put("detail_id", Long.toString(info.bill().packetId()));
        answer.put("status", info.status().name());
        answer.put("send_type", "API");
        answer.put("hb_type", order.type().name());
        answer.put("total_num", Integer.toString(order.totalNum()));
        answer.put("total_amount", Long.toString(order.totalAmount()));
        if (info.bill().failureReason() != null && info.status() == RedpackStatus.FAILED) {
            answer.put("reason", info.bill().failureReason());
        }
        answer.put("send_time", RedpackRules.wechatTime(info.sentAt()));
        info.refundedAt().ifPresent(at -> {
            answer.put("refund_time", RedpackRules.wechatTime(at));
            answer.put("refund_amount", Long.toString(info.refunded()));
        });
        answer.put("wishing", order.wishing());
        answer.put("remark", order.remark());
        answer.put("act_name", order.actName());
        List<Map<String, String>> receivers = info.receivers().stream().map(MerchantEndpoints::hbinfo).toList();
        return new Answer(200, WxXml.write(answer, "hblist", "hbinfo", receivers), XML);
    }

    private static Map<String, String> hbinfo(RedpackService.Receiver receiver) {
        Map<String, String> item = new LinkedHashMap<>();
        item.put("openid", receiver.openid());
        item.put("amount", Long.toString(receiver.amount()));
        item.put("rcv_time", RedpackRules.wechatTime(receiver.at()));
        return item;
    }

    private static void requireOwnApp(Merchant merchant, String appid) {
        if (!merchant.wxappid().equals(appid)) {
            throw new MerchantRefusal(MerchantError.PARAM_ERROR, "商户号和wxappid不匹配: the app id is not the merchant's");
        }
    }

    /** A business refusal of an authenticated request: return_code SUCCESS, result_code FAIL, signed as the call's answers. */
    private static Answer refusal(Map<String, String> fields, AnswerWriter answers, MerchantError code, String message) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("return_msg", message);
        answer.put("result_code", "FAIL");
        answer.put("err_code", code.name());
        answer.put("err_code_des", message);
        for (String echoed : ECHOED) {
            String value = fields.get(echoed);
            if (value != null && !value.isEmpty()) {
                answer.put(echoed, value);
            }
        }
        return new Answer(200, answers.xml(answer), XML);
    }

    /**
     * A request that could not be authenticated gets an unsigned answer: signing it would hand whoever sent it a valid
     * signature made with a key they do not have.
     */
    private static Answer unauthenticated(int status, MerchantError code, String message) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("return_code", "FAIL");
        answer.put("return_msg", code.name() + ": " + message);
        answer.put("err_code", code.name());
        answer.put("err_code_des", message);
        return new Answer(status, WxXml.write(answer), XML);
    }

    /**
     * SHA-256 over the API and the request's non-empty fields, sorted, without nonce_str, sign and sign_type. Name and
     * value are separated by NUL, which XML cannot carry, so no two different requests hash alike.
     */
    static String requestHash(String api, Map<String, String> fields) {
        StringBuilder canonical = new StringBuilder(api).append('\0');
        new TreeMap<>(fields).forEach((name, value) -> {
            if (!UNHASHED.contains(name) && !value.isEmpty()) {
                canonical.append(name).append('\0').append(value).append('\0');
            }
        });
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
