package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.binarywang.wxpay.bean.notify.WxPayOrderNotifyCoupon;
import com.github.binarywang.wxpay.bean.notify.WxPayOrderNotifyResult;
import com.github.binarywang.wxpay.converter.WxPayOrderNotifyResultConverter;
import com.github.binarywang.wxpay.service.WxPayService;
import com.github.binarywang.wxpay.util.SignUtils;
import com.thoughtworks.xstream.XStream;
import hongbao.wiring.ServeConfig;
import hongbao.paysim.ProviderSimulator;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.testing.WxJava;
import hongbao.wxpay.SignType;
import hongbao.wxpay.WxXml;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import me.chanjar.weixin.common.util.xml.XStreamInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Payment notifications as WeChat Pay sends them, made with a real client library's own result class and signing
 * (WxJava's WxPayOrderNotifyResult and SignUtils), MD5 and HMAC-SHA256 (no sign_type field: the merchant's settings say
 * which), in WeChat's byte format (indented, CDATA, total_fee bare) and in WxJava's own serialization. Every notification
 * is first checked by WxJava's own parser, so the tests send only what that client takes for a genuine one.
 */
class WxJavaPaymentNotifyTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Integer fields WeChat's documented example writes without CDATA. */
    private static final List<String> BARE = List.of("total_fee");

    private TestServer server;
    private ApiClient alice;
    private WxPayService wxPay;

    private void start(SignType providerSignType) {
        ServeConfig.PaymentConfig payments = new ServeConfig.PaymentConfig(TestServer.PROVIDER_KEY, providerSignType,
                ServeConfig.PaymentConfig.DEFAULT.timeout(), ServeConfig.PaymentConfig.DEFAULT.secondPassDelay());
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withPayments(payments));
        alice = server.user("alice");
        server.user("bob");
        server.group("family", List.of("alice", "bob"));
        wxPay = WxJava.client(server.baseUrl(), "1900000109", "wx2421b1c4370ec43b", TestServer.PROVIDER_KEY,
                providerSignType.wireName());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A THIRD_PARTY packet: its payment id (out_trade_no) and total. */
    private JsonNode packetAwaitingPayment(long total) {
        return alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":" + total
                + ",\"count\":2,\"payMethod\":\"THIRD_PARTY\"}").expectStatus(201).json();
    }

    private int payStatus(JsonNode packet) {
        return alice.get("/v1/packets/" + packet.get("id").asText()).expectStatus(200).json().get("payStatus").asInt();
    }

    /** What WeChat Pay sends when a payment of {@code totalFee} fen succeeded, unsigned. */
    private static WxPayOrderNotifyResult paid(String outTradeNo, int totalFee) {
        WxPayOrderNotifyResult result = new WxPayOrderNotifyResult();
        result.setReturnCode("SUCCESS");
        result.setResultCode("SUCCESS");
        result.setAppid("wx2421b1c4370ec43b");
        result.setMchId("1900000109");
        result.setNonceStr("5d2b6c2a8db53831f7eda20af46e531c");
        result.setOpenid("oUpF8uMEb4qRXf22hE3X68TekukE");
        result.setIsSubscribe("Y");
        result.setTradeType("JSAPI");
        result.setBankType("CMC");
        result.setTotalFee(totalFee);
        result.setCashFee(totalFee);
        result.setFeeType("CNY");
        result.setTransactionId("1004400740201409030005092168");
        result.setOutTradeNo(outTradeNo);
        result.setAttach("红包支付");
        result.setTimeEnd("20261128103000");
        return result;
    }

    private static WxPayOrderNotifyResult withCoupon(WxPayOrderNotifyResult result, String couponType, int couponFee) {
        WxPayOrderNotifyCoupon coupon = new WxPayOrderNotifyCoupon();
        coupon.setCouponId("10000");
        coupon.setCouponType(couponType);
        coupon.setCouponFee(couponFee);
        result.setCouponCount(1);
        result.setCouponFee(couponFee);
        result.setCouponList(List.of(coupon));
        result.setCashFee(result.getTotalFee() - couponFee);
        return result;
    }

    /** Signs as WeChat does and WxJava checks: its SignUtils over its own map of the notification. */
    private static WxPayOrderNotifyResult signed(WxPayOrderNotifyResult result, SignType type) {
        result.setSign(SignUtils.createSign(result.toMap(), type.wireName(), TestServer.PROVIDER_KEY, new String[0]));
        return result;
    }

    /** WeChat's byte format, as its documented example: one field a line, sorted, CDATA but for total_fee. */
    private static String wechatBytes(WxPayOrderNotifyResult result) {
        StringBuilder xml = new StringBuilder("<xml>\n");
        Map<String, String> fields = new TreeMap<>(result.toMap());
        // toMap also holds the bean's own couponList, which WxJava leaves out of the signature and WeChat never sends.
        fields.remove("couponList");
        if (result.getSign() != null) {
            fields.put("sign", result.getSign());
        }
        fields.forEach((name, value) -> xml.append("  <").append(name).append('>')
                .append(BARE.contains(name) ? value : "<![CDATA[" + value + "]]>").append("</").append(name).append(">\n"));
        return xml.append("</xml>").toString();
    }

    /** WxJava's own serialization of a notification without coupons (with them, it also writes its couponList bean). */
    private static String wxJavaBytes(WxPayOrderNotifyResult result) {
        XStream xstream = XStreamInitializer.getInstance();
        xstream.processAnnotations(WxPayOrderNotifyResult.class);
        xstream.registerConverter(new WxPayOrderNotifyResultConverter(xstream.getMapper(), xstream.getReflectionProvider()));
        return xstream.toXML(result);
    }

    /** Posts a notification that WxJava itself takes for genuine, as WeChat posts it: the HTTP status and return_code. */
    private String post(String xml, SignType type) throws Exception {
        WxPayOrderNotifyResult parsed = wxPay.parseOrderNotifyResult(xml, type.wireName());
        assertThat(parsed.getOutTradeNo()).as("WxJava reads what it made").isNotEmpty();
        return postUnchecked(xml);
    }

    private String postUnchecked(String xml) throws Exception {
        HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/payments/notify"))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        return answer.statusCode() + " " + WxXml.parse(answer.body()).get("return_code");
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void aPaymentNotificationSignedAsTheMerchantIsSetUpIsApplied(SignType type) throws Exception {
        start(type);
        JsonNode packet = packetAwaitingPayment(888);
        String paymentId = packet.get("payment").get("paymentId").asText();
        WxPayOrderNotifyResult result = signed(paid(paymentId, 888), type);

        assertThat(post(wechatBytes(result), type)).isEqualTo("200 SUCCESS");
        assertThat(payStatus(packet)).isEqualTo(1);
        assertThat(post(wxJavaBytes(result), type)).as("the same in WxJava's serialization: a duplicate")
                .isEqualTo("200 SUCCESS");
        JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("external").asLong()).as("the money entered once").isEqualTo(-888);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void theProviderSimulatorSignsAsWeChatPayDoes(SignType type) throws Exception {
        start(type);
        JsonNode packet = packetAwaitingPayment(888);
        String body = server.provider().body(new ProviderSimulator.Notification(
                packet.get("payment").get("paymentId").asText(), 888, true), ProviderSimulator.Corruption.NONE, type,
                new Random(1));

        assertThat(body).as("WeChat's notifications do not say how they are signed").doesNotContain("sign_type");
        assertThat(post(body, type)).isEqualTo("200 SUCCESS");
        assertThat(payStatus(packet)).isEqualTo(1);
    }

    @Test
    void aNotificationSignedTheOtherWayOrNotAtAllIsRefused() throws Exception {
        start(SignType.MD5);
        JsonNode packet = packetAwaitingPayment(888);
        String paymentId = packet.get("payment").get("paymentId").asText();
        String hmac = wechatBytes(signed(paid(paymentId, 888), SignType.HMAC_SHA256));

        assertThat(post(hmac, SignType.HMAC_SHA256)).as("HONGBAO_PAYMENT_SIGN_TYPE says MD5").isEqualTo("401 FAIL");
        assertThat(postUnchecked(wechatBytes(paid(paymentId, 888)))).as("unsigned").isEqualTo("401 FAIL");
        assertThat(payStatus(packet)).isZero();
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void promotionDetailAsLongAsWeChatDocumentsIsAccepted(SignType type) throws Exception {
        start(type);
        JsonNode goods = packetAwaitingPayment(888);
        JsonNode widest = packetAwaitingPayment(999);
        WxPayOrderNotifyResult realistic = paid(goods.get("payment").get("paymentId").asText(), 888);
        realistic.setPromotionDetail(promotionDetail(6000));
        WxPayOrderNotifyResult wide = paid(widest.get("payment").get("paymentId").asText(), 999);
        // The widest 6,000 characters can be: three UTF-8 bytes each, past the default 16 KiB body cap.
        wide.setPromotionDetail("[{\"name\":\"" + "福".repeat(6000 - 13) + "\"}]");
        String wideBytes = wechatBytes(signed(wide, type));

        assertThat(realistic.getPromotionDetail()).hasSize(6000);
        assertThat(post(wechatBytes(signed(realistic, type)), type)).isEqualTo("200 SUCCESS");
        assertThat(wide.getPromotionDetail()).hasSize(6000);
        assertThat(wideBytes.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(16 * 1024);
        assertThat(post(wideBytes, type)).isEqualTo("200 SUCCESS");
        assertThat(payStatus(goods)).isEqualTo(1);
        assertThat(payStatus(widest)).isEqualTo(1);
    }

    /**
     * A coupon WeChat Pay funds from the merchant's recharged budget (CASH, 充值券) leaves total_fee whole and is applied;
     * one the merchant funds (NO_CASH, 免充值券) makes settlement_total_fee what arrives, which must be the packet's total.
     */
    @ParameterizedTest
    @EnumSource(SignType.class)
    void withACouponWhatArrivedMustBeThePacketsTotal(SignType type) throws Exception {
        start(type);
        JsonNode recharged = packetAwaitingPayment(1_000);
        JsonNode merchantFunded = packetAwaitingPayment(1_000);
        JsonNode orderedAboveTheTotal = packetAwaitingPayment(1_000);
        WxPayOrderNotifyResult cash = withCoupon(paid(recharged.get("payment").get("paymentId").asText(), 1_000), "CASH",
                100);
        WxPayOrderNotifyResult short100 = withCoupon(paid(merchantFunded.get("payment").get("paymentId").asText(), 1_000),
                "NO_CASH", 100);
        short100.setSettlementTotalFee(900);
        WxPayOrderNotifyResult settledInFull = withCoupon(
                paid(orderedAboveTheTotal.get("payment").get("paymentId").asText(), 1_100), "NO_CASH", 100);
        settledInFull.setSettlementTotalFee(1_000);

        assertThat(post(wechatBytes(signed(cash, type)), type)).isEqualTo("200 SUCCESS");
        assertThat(post(wechatBytes(signed(short100, type)), type)).as("900 fen arrived for 1000").isEqualTo("400 FAIL");
        assertThat(post(wechatBytes(signed(settledInFull, type)), type)).isEqualTo("200 SUCCESS");

        assertThat(payStatus(recharged)).isEqualTo(1);
        assertThat(payStatus(merchantFunded)).as("refused, nothing changed").isZero();
        assertThat(payStatus(orderedAboveTheTotal)).isEqualTo(1);
        JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("external").asLong()).as("what arrived, and only that").isEqualTo(-2_000);
    }

    /**
     * promotion_detail as WeChat documents it (单品优惠): a JSON list of promotions with their goods, here with remarks
     * in Chinese at their documented length (128), the last one cut so the whole is exactly {@code length} characters.
     */
    private static String promotionDetail(int length) {
        String head = "{\"promotion_detail\":[{\"promotion_id\":\"109519\",\"name\":\"单品惠-6\",\"scope\":\"SINGLE\","
                + "\"type\":\"COUPON\",\"amount\":5,\"activity_id\":\"931386\",\"wxpay_contribute\":0,"
                + "\"merchant_contribute\":0,\"other_contribute\":5,\"goods_detail\":[";
        String tail = "]}]}";
        String remark = "新春红包礼盒".repeat(22).substring(0, 128);
        StringBuilder goods = new StringBuilder();
        for (int item = 0; ; item++) {
            String open = (item == 0 ? "" : ",") + "{\"goods_id\":\"g" + item + "\",\"goods_remark\":\"";
            String close = "\",\"quantity\":1,\"price\":100,\"discount_amount\":0}";
            int room = length - head.length() - tail.length() - goods.length() - open.length() - close.length();
            if (room < 0) {
                break;
            }
            goods.append(open).append(remark, 0, Math.min(remark.length(), room)).append(close);
        }
        // JSON allows whitespace between values: what no whole item fills.
        goods.append(" ".repeat(length - head.length() - tail.length() - goods.length()));
        return head + goods + tail;
    }
}
