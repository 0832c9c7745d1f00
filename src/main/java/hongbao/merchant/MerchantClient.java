package hongbao.merchant;

import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import hongbao.wxpay.WxXml;
import hongbao.wxpay.WxXmlException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A merchant's client for hongbao's WeChat-compatible cash red packet API: builds a request's parameters in WeChat's
 * names, adds a nonce, signs them with the merchant's API key (MD5 or HMAC-SHA256), posts the XML, and parses the
 * answer, refusing a send call's answer whose signature does not verify (gethbinfo's answers are unsigned, as WeChat's
 * are). Needs only the JDK and {@code hongbao.wxpay}.
 *
 * <p>WeChat requires a client certificate for these calls; hongbao relies on the signature, with TLS terminated by
 * the proxy in front of it, so the client sends none.
 */
public final class MerchantClient {
    public static final String SEND_REDPACK = "/mmpaymkttransfers/sendredpack";
    public static final String SEND_GROUP_REDPACK = "/mmpaymkttransfers/sendgroupredpack";
    public static final String GET_HB_INFO = "/mmpaymkttransfers/gethbinfo";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI baseUrl;
    private final String mchId;
    private final String wxappid;
    private final String apiKey;
    private final SignType signType;
    private final Supplier<String> nonces;
    private final HttpClient http;

    /** @param baseUrl where hongbao listens, e.g. {@code https://hongbao.example.com} (the API paths are added) */
    public MerchantClient(URI baseUrl, String mchId, String wxappid, String apiKey, SignType signType) {
        this(baseUrl, mchId, wxappid, apiKey, signType, MerchantClient::randomNonce,
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build());
    }

    private MerchantClient(URI baseUrl, String mchId, String wxappid, String apiKey, SignType signType,
            Supplier<String> nonces, HttpClient http) {
        this.baseUrl = baseUrl;
        this.mchId = mchId;
        this.wxappid = wxappid;
        this.apiKey = apiKey;
        this.signType = signType;
        this.nonces = nonces;
        this.http = http;
    }

    /** The same client taking its nonces from here: fixed nonces make request bodies reproducible byte for byte. */
    public MerchantClient withNonces(Supplier<String> fixedNonces) {
        return new MerchantClient(baseUrl, mchId, wxappid, apiKey, signType, fixedNonces, http);
    }

    /** A sendredpack: one packet of {@code totalAmount} fen to one user, opened within 24 h or refunded. */
    public record Redpack(String billno, String sendName, String openid, long totalAmount, String wishing,
            String clientIp, String actName, String remark) {
    }

    /** A sendgroupredpack: {@code totalNum} (3-20) random shares; the receiver opens one and may share the rest. */
    public record GroupRedpack(String billno, String sendName, String openid, long totalAmount, int totalNum,
            String wishing, String actName, String remark) {
    }

    public Answer sendRedpack(Redpack redpack) throws IOException, InterruptedException {
        return post(SEND_REDPACK, body(params(redpack)));
    }

    public Answer sendGroupRedpack(GroupRedpack redpack) throws IOException, InterruptedException {
        return post(SEND_GROUP_REDPACK, body(params(redpack)));
    }

    /** gethbinfo: a bill's status and its receivers ({@link Answer#hblist}). */
    public Answer getHbInfo(String billno) throws IOException, InterruptedException {
        return post(GET_HB_INFO, body(hbInfoParams(billno)));
    }

    /** sendredpack's parameters, unsigned, in the order of WeChat's documentation. */
    public Map<String, String> params(Redpack redpack) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("nonce_str", nonces.get());
        params.put("mch_billno", redpack.billno());
        params.put("mch_id", mchId);
        params.put("wxappid", wxappid);
        params.put("send_name", redpack.sendName());
        params.put("re_openid", redpack.openid());
        params.put("total_amount", Long.toString(redpack.totalAmount()));
        params.put("total_num", "1");
        params.put("wishing", redpack.wishing());
        params.put("client_ip", redpack.clientIp());
        params.put("act_name", redpack.actName());
        params.put("remark", redpack.remark());
        return params;
    }

    /** sendgroupredpack's parameters, unsigned, in the order of WeChat's documentation. */
    public Map<String, String> params(GroupRedpack redpack) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("nonce_str", nonces.get());
        params.put("mch_billno", redpack.billno());
        params.put("mch_id", mchId);
        params.put("wxappid", wxappid);
        params.put("send_name", redpack.sendName());
        params.put("re_openid", redpack.openid());
        params.put("total_amount", Long.toString(redpack.totalAmount()));
        params.put("total_num", Integer.toString(redpack.totalNum()));
        params.put("amt_type", "ALL_RAND");
        params.put("wishing", redpack.wishing());
        params.put("act_name", redpack.actName());
        params.put("remark", redpack.remark());
        return params;
    }

    /** gethbinfo's parameters, unsigned; note WeChat names the app id "appid" here. */
    public Map<String, String> hbInfoParams(String billno) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("nonce_str", nonces.get());
        params.put("mch_billno", billno);
        params.put("mch_id", mchId);
        params.put("appid", wxappid);
        params.put("bill_type", "MCHT");
        return params;
    }

    /** The signed XML body for these parameters. */
    public String body(Map<String, String> params) {
        return WxXml.write(WxSignature.signed(params, apiKey, signType));
    }

    /** Posts a body to an API path and reads the answer; a send answer whose signature does not verify is an IOException. */
    public Answer post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/xml; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return read(path, response.statusCode(), response.body());
    }

    /**
     * Parses the answer to a call on {@code path}. An answer of a send call is checked with this merchant's key: it must
     * be signed when its return_code is SUCCESS, and a sign it carries must verify. gethbinfo's answers are not checked:
     * neither WeChat nor hongbao signs them.
     */
    public Answer read(String path, int httpStatus, String body) throws IOException {
        WxXml.Document document;
        try {
            document = WxXml.parse(body.getBytes(StandardCharsets.UTF_8), "hblist", "hbinfo");
        } catch (WxXmlException e) {
            throw new IOException("the answer is not WeChat XML (HTTP " + httpStatus + "): " + e.getMessage(), e);
        }
        Map<String, String> fields = document.fields();
        if (GET_HB_INFO.equals(path)) {
            return new Answer(httpStatus, body, fields, document.items(), false);
        }
        boolean signed = fields.containsKey("sign");
        if ((signed || "SUCCESS".equals(fields.get("return_code"))) && !WxSignature.verify(fields, apiKey)) {
            throw new BadSignature(signed ? "the answer's signature does not verify" : "the answer is not signed");
        }
        return new Answer(httpStatus, body, fields, document.items(), signed);
    }

    /** An answer whose signature is missing or wrong: not from whoever holds the merchant's key. */
    public static final class BadSignature extends IOException {
        private static final long serialVersionUID = 1L;

        BadSignature(String message) {
            super(message);
        }
    }

    /**
     * A parsed answer, verified if it is a send call's. {@code signed} is false for gethbinfo's answers and for return_code
     * FAIL answers to requests the service could not authenticate (bad XML, unknown mch_id, bad signature), which it does
     * not sign.
     */
    public record Answer(int httpStatus, String body, Map<String, String> fields, List<Map<String, String>> hblist,
            boolean signed) {

        public String get(String name) {
            return fields.get(name);
        }

        public String returnCode() {
            return fields.get("return_code");
        }

        public String resultCode() {
            return fields.get("result_code");
        }

        public String errCode() {
            return fields.get("err_code");
        }

        /** return_code and result_code both SUCCESS. */
        public boolean isSuccess() {
            return "SUCCESS".equals(returnCode()) && "SUCCESS".equals(resultCode());
        }
    }

    private static String randomNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }
}
