package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WeChat's field rules for sendredpack and sendgroupredpack, and the Beijing day and time they use. */
class RedpackRulesTest {
    private static final MerchantLimits LIMITS = MerchantLimits.DEFAULT;

    private static Map<String, String> normal() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
        fields.put("mch_billno", "10000098201411111234567890");
        fields.put("mch_id", "10000098");
        fields.put("wxappid", "wx8888888888888888");
        fields.put("send_name", "天虹百货");
        fields.put("re_openid", "oxTWIuGaIt6gTKsQRLau2M0yL16E");
        fields.put("total_amount", "1000");
        fields.put("total_num", "1");
        fields.put("wishing", "感谢您参加猜灯谜活动，祝您元宵节快乐！");
        fields.put("client_ip", "192.168.0.1");
        fields.put("act_name", "猜灯谜抢红包活动");
        fields.put("remark", "猜越多得越多，快来抢！");
        return fields;
    }

    private static Map<String, String> group() {
        Map<String, String> fields = normal();
        fields.remove("client_ip");
        fields.put("total_num", "3");
        fields.put("amt_type", "ALL_RAND");
        return fields;
    }

    @Test
    void aValidRequestBecomesAnOrder() {
        RedpackOrder order = RedpackRules.order(HbType.NORMAL, normal(), LIMITS);

        assertThat(order).isEqualTo(new RedpackOrder(HbType.NORMAL, "10000098201411111234567890",
                "oxTWIuGaIt6gTKsQRLau2M0yL16E", 1000, 1, "天虹百货", "感谢您参加猜灯谜活动，祝您元宵节快乐！", "猜灯谜抢红包活动",
                "猜越多得越多，快来抢！", ""));
        assertThat(RedpackRules.order(HbType.GROUP, group(), LIMITS).totalNum()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "mch_billno|''", "mch_billno|12345678901234567890123456789", "mch_billno|bill-1",
            "re_openid|o p", "total_amount|0", "total_amount|10.00", "total_amount|-100", "total_amount|0100",
            "total_num|2", "total_num|x", "client_ip|300.1.1.1", "client_ip|::1",
            "send_name|123456789012345678901234567890123", "act_name|123456789012345678901234567890123",
            "scene_id|PRODUCT_9", "nonce_str|123456789012345678901234567890123", "remark|a&b",
            "wishing|满100&减10"})
    void malformedFieldsAreParamErrors(String field, String value) {
        Map<String, String> fields = normal();
        fields.put(field, value);

        assertThatThrownBy(() -> RedpackRules.order(HbType.NORMAL, fields, LIMITS))
                .isInstanceOfSatisfying(MerchantRefusal.class, r -> assertThat(r.code()).isEqualTo(MerchantError.PARAM_ERROR))
                .hasMessageContaining(field);
    }

    @Test
    void missingRequiredFieldsAreParamErrors() {
        for (String field : normal().keySet()) {
            if (field.equals("mch_id") || field.equals("wxappid")) {
                continue; // the merchant's own fields are checked against the merchant, not here
            }
            Map<String, String> fields = normal();
            fields.remove(field);

            assertThatThrownBy(() -> RedpackRules.order(HbType.NORMAL, fields, LIMITS)).as(field)
                    .isInstanceOfSatisfying(MerchantRefusal.class, r -> assertThat(r.code()).isEqualTo(MerchantError.PARAM_ERROR))
                    .hasMessageContaining(field);
        }
    }

    @Test
    void wishingMayBe128CharactersNotMore() {
        Map<String, String> fields = normal();
        fields.put("wishing", "福".repeat(128));
        assertThat(RedpackRules.order(HbType.NORMAL, fields, LIMITS).wishing()).hasSize(128);

        fields.put("wishing", "福".repeat(129));
        assertThatThrownBy(() -> RedpackRules.order(HbType.NORMAL, fields, LIMITS)).isInstanceOf(MerchantRefusal.class);
    }

    @ParameterizedTest(name = "{0} fen")
    @CsvSource({"99", "20001", "1000000"})
    void amountsOutsideTheMerchantRangeAreMoneyLimit(String amount) {
        Map<String, String> fields = normal();
        fields.put("total_amount", amount);

        assertThatThrownBy(() -> RedpackRules.order(HbType.NORMAL, fields, LIMITS))
                .isInstanceOfSatisfying(MerchantRefusal.class, r -> assertThat(r.code()).isEqualTo(MerchantError.MONEY_LIMIT));
    }

    @Test
    void theEdgesOfTheRangeAreFine() {
        Map<String, String> fields = normal();
        fields.put("total_amount", "100");
        assertThat(RedpackRules.order(HbType.NORMAL, fields, LIMITS).totalAmount()).isEqualTo(100);
        fields.put("total_amount", "20000");
        assertThat(RedpackRules.order(HbType.NORMAL, fields, LIMITS).totalAmount()).isEqualTo(20_000);
    }

    @ParameterizedTest(name = "total_num={0} amt_type={1} total_amount={2}: {3}")
    @CsvSource({
            "2, ALL_RAND, 1000, PARAM_ERROR", "21, ALL_RAND, 3000, PARAM_ERROR", "3, FIX, 1000, PARAM_ERROR",
            "3, '', 1000, PARAM_ERROR", "3, ALL_RAND, 299, MONEY_LIMIT", "3, ALL_RAND, 60001, MONEY_LIMIT",
            "20, ALL_RAND, 1999, MONEY_LIMIT"})
    void fissionPacketsHave3To20SharesOfAtLeastTheMinimumEach(int num, String amtType, long total, MerchantError expected) {
        Map<String, String> fields = group();
        fields.put("total_num", Integer.toString(num));
        fields.put("amt_type", amtType);
        fields.put("total_amount", Long.toString(total));

        assertThatThrownBy(() -> RedpackRules.order(HbType.GROUP, fields, LIMITS))
                .isInstanceOfSatisfying(MerchantRefusal.class, r -> assertThat(r.code()).isEqualTo(expected));
    }

    @Test
    void gethbinfoNeedsBillTypeMcht() {
        Map<String, String> fields = new LinkedHashMap<>(Map.of("nonce_str", "n", "mch_billno", "b1", "bill_type", "MCHT"));
        assertThat(RedpackRules.billQuery(fields)).isEqualTo("b1");

        fields.put("bill_type", "MCH");
        assertThatThrownBy(() -> RedpackRules.billQuery(fields))
                .isInstanceOfSatisfying(MerchantRefusal.class, r -> assertThat(r.code()).isEqualTo(MerchantError.PARAM_ERROR));
    }

    @Test
    void daysAndTimesAreBeijingTime() {
        Instant lateUtcEvening = Instant.parse("2026-11-25T16:30:00Z");

        assertThat(RedpackRules.beijingDay(lateUtcEvening)).isEqualTo("2026-11-26");
        assertThat(RedpackRules.wechatTime(lateUtcEvening)).isEqualTo("2026-11-26 00:30:00");
    }
}
