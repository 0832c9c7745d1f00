package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Known answers from WeChat Pay's documented signing example, with the expected string built by hand and the
 * digests computed here with the JDK directly, so the class under test is checked against something it did not
 * produce.
 */
class WxSignatureTest {
    private static final String KEY = "192006250b4c09247ec02edce69f6a2d";
    private static final Map<String, String> DOCUMENTED_PARAMS = Map.of(
            "appid", "wxd930ea5d5a258f4f",
            "mch_id", "10000100",
            "device_info", "1000",
            "body", "test",
            "nonce_str", "ibuaiVcKdpRxkhJA");
    private static final String DOCUMENTED_STRING_TO_SIGN = "appid=wxd930ea5d5a258f4f"
            + "&body=test"
            + "&device_info=1000"
            + "&mch_id=10000100"
            + "&nonce_str=ibuaiVcKdpRxkhJA"
            + "&key=192006250b4c09247ec02edce69f6a2d";
    private static final String DOCUMENTED_MD5 = "9A0A8659F005D6984697E2CA0A9CF3B7";
    private static final String DOCUMENTED_HMAC_SHA256 =
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6";

    @Test
    void documentedExampleStringToSign() {
        assertThat(WxSignature.stringToSign(DOCUMENTED_PARAMS, KEY)).isEqualTo(DOCUMENTED_STRING_TO_SIGN);
    }

    @Test
    void documentedExampleMd5() throws Exception {
        String independent = md5Hex(DOCUMENTED_STRING_TO_SIGN);

        assertThat(independent).isEqualTo(DOCUMENTED_MD5);
        assertThat(WxSignature.sign(DOCUMENTED_PARAMS, KEY, SignType.MD5)).isEqualTo(independent);
    }

    @Test
    void documentedExampleHmacSha256() throws Exception {
        String independent = hmacSha256Hex(DOCUMENTED_STRING_TO_SIGN, KEY);

        assertThat(independent).isEqualTo(DOCUMENTED_HMAC_SHA256);
        assertThat(WxSignature.sign(DOCUMENTED_PARAMS, KEY, SignType.HMAC_SHA256)).isEqualTo(independent);
    }

    @Test
    void signedWithHmacSha256AlsoSignsSignType() throws Exception {
        String byHand = "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100"
                + "&nonce_str=ibuaiVcKdpRxkhJA&sign_type=HMAC-SHA256&key=192006250b4c09247ec02edce69f6a2d";

        Map<String, String> signed = WxSignature.signed(DOCUMENTED_PARAMS, KEY, SignType.HMAC_SHA256);

        assertThat(signed).containsEntry("sign_type", "HMAC-SHA256")
                .containsEntry("sign", hmacSha256Hex(byHand, KEY))
                .hasSize(DOCUMENTED_PARAMS.size() + 2);
        assertThat(WxSignature.verify(signed, KEY)).isTrue();
    }

    @Test
    void signedWithMd5LeavesAnAbsentSignTypeAbsent() {
        Map<String, String> signed = WxSignature.signed(DOCUMENTED_PARAMS, KEY, SignType.MD5);

        assertThat(signed).doesNotContainKey("sign_type").containsEntry("sign", DOCUMENTED_MD5);
        assertThat(WxSignature.verify(signed, KEY)).isTrue();
    }

    @Test
    void signedWithMd5SignsAGivenSignTypeAsIs() throws Exception {
        Map<String, String> params = new HashMap<>(DOCUMENTED_PARAMS);
        params.put("sign_type", "MD5");
        String byHand = "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100"
                + "&nonce_str=ibuaiVcKdpRxkhJA&sign_type=MD5&key=192006250b4c09247ec02edce69f6a2d";

        Map<String, String> signed = WxSignature.signed(params, KEY, SignType.MD5);

        assertThat(signed).containsEntry("sign_type", "MD5").containsEntry("sign", md5Hex(byHand));
        assertThat(WxSignature.verify(signed, KEY)).isTrue();
    }

    @Test
    void signedRefusesASignTypeThatNamesAnotherAlgorithm() {
        Map<String, String> claimsHmac = new HashMap<>(DOCUMENTED_PARAMS);
        claimsHmac.put("sign_type", "HMAC-SHA256");
        Map<String, String> claimsMd5 = new HashMap<>(DOCUMENTED_PARAMS);
        claimsMd5.put("sign_type", "MD5");
        Map<String, String> claimsUnknown = new HashMap<>(DOCUMENTED_PARAMS);
        claimsUnknown.put("sign_type", "SHA1");

        assertThatThrownBy(() -> WxSignature.signed(claimsHmac, KEY, SignType.MD5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sign_type=HMAC-SHA256");
        assertThatThrownBy(() -> WxSignature.signed(claimsMd5, KEY, SignType.HMAC_SHA256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sign_type=MD5");
        assertThatThrownBy(() -> WxSignature.signed(claimsUnknown, KEY, SignType.MD5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sign_type=SHA1");
    }

    @Test
    void signedCopiesInOrderAndLeavesItsInputAlone() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("z", "1");
        params.put("a", "2");
        params.put("sign", "STALE");
        Map<String, String> before = new LinkedHashMap<>(params);

        Map<String, String> signed = WxSignature.signed(params, KEY, SignType.HMAC_SHA256);

        assertThat(params).containsExactlyEntriesOf(before);
        assertThat(signed.keySet()).containsExactly("z", "a", "sign", "sign_type");
        assertThat(signed.get("sign")).isNotEqualTo("STALE");
    }

    @Test
    void emptyAndNullValuesAndAnyOldSignAreLeftOut() {
        Map<String, String> params = new HashMap<>(DOCUMENTED_PARAMS);
        params.put("attach", "");
        params.put("detail", null);
        params.put("sign", "WHATEVER");

        assertThat(WxSignature.stringToSign(params, KEY)).isEqualTo(DOCUMENTED_STRING_TO_SIGN);
    }

    @Test
    void valuesAreSignedRawAndAsUtf8() throws Exception {
        Map<String, String> params = Map.of("body", "红包 a+b&c=d%20/", "total_fee", "1");
        String byHand = "body=红包 a+b&c=d%20/&total_fee=1&key=" + KEY;

        assertThat(WxSignature.stringToSign(params, KEY)).isEqualTo(byHand);
        assertThat(WxSignature.sign(params, KEY, SignType.MD5)).isEqualTo(md5Hex(byHand));
        assertThat(WxSignature.sign(params, KEY, SignType.HMAC_SHA256)).isEqualTo(hmacSha256Hex(byHand, KEY));
    }

    @Test
    void namesSortInAsciiOrderSoCapitalsComeFirst() {
        Map<String, String> params = Map.of("b", "1", "B", "2", "_", "3", "a1", "4", "a", "5");

        assertThat(WxSignature.stringToSign(params, KEY)).isEqualTo("B=2&_=3&a=5&a1=4&b=1&key=" + KEY);
    }

    /** Documents a weakness of WeChat's scheme itself: callers must bound what values may contain. */
    @Test
    void rawValuesLetDifferentParamsSignAlike() {
        Map<String, String> one = Map.of("a", "1&b=2");
        Map<String, String> two = Map.of("a", "1", "b", "2");

        assertThat(WxSignature.sign(one, KEY, SignType.MD5)).isEqualTo(WxSignature.sign(two, KEY, SignType.MD5));
    }

    @Test
    void verifyAcceptsTheDocumentedSignatures() {
        Map<String, String> md5 = new HashMap<>(DOCUMENTED_PARAMS);
        md5.put("sign", DOCUMENTED_MD5);
        Map<String, String> hmacWithoutSignType = new HashMap<>(DOCUMENTED_PARAMS);
        hmacWithoutSignType.put("sign", DOCUMENTED_HMAC_SHA256);

        assertThat(WxSignature.verify(md5, KEY)).isTrue();
        // Absent sign_type means MD5, so an HMAC signature without it does not verify.
        assertThat(WxSignature.verify(hmacWithoutSignType, KEY)).isFalse();
    }

    @Test
    void verifyIsCaseSensitiveOnUppercaseHex() {
        Map<String, String> params = new HashMap<>(DOCUMENTED_PARAMS);
        params.put("sign", DOCUMENTED_MD5.toLowerCase());

        assertThat(WxSignature.verify(params, KEY)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "9A0A8659F005D6984697E2CA0A9CF3B", "9A0A8659F005D6984697E2CA0A9CF3B77",
            "9A0A8659F005D6984697E2CA0A9CF3B８", "红包红包红包红包红包红包红包红包红包红包红包红包红包红包红包红包"})
    void verifyRefusesAWrongSignWithoutThrowing(String sign) {
        Map<String, String> params = new HashMap<>(DOCUMENTED_PARAMS);
        params.put("sign", sign);

        assertThat(WxSignature.verify(params, KEY)).isFalse();
    }

    @Test
    void verifyRefusesAMissingSign() {
        assertThat(WxSignature.verify(DOCUMENTED_PARAMS, KEY)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA1", "md5", "hmac-sha256", "HMAC_SHA256"})
    void verifyRefusesAnUnknownSignTypeWithoutThrowing(String signType) {
        Map<String, String> params = new HashMap<>(DOCUMENTED_PARAMS);
        params.put("sign_type", signType);
        params.put("sign", WxSignature.sign(params, KEY, SignType.MD5));

        assertThat(WxSignature.verify(params, KEY)).isFalse();
    }

    @Test
    void verifyRefusesASignatureMadeWithAnotherAlgorithmThanClaimed() {
        Map<String, String> params = new HashMap<>(DOCUMENTED_PARAMS);
        params.put("sign_type", "HMAC-SHA256");
        params.put("sign", WxSignature.sign(params, KEY, SignType.MD5));

        assertThat(WxSignature.verify(params, KEY)).isFalse();
    }

    @Test
    void aSentSignTypeMayBeLeftOutOfTheSignedStringAsWxJavaDoes() {
        Map<String, String> hmac = new HashMap<>(DOCUMENTED_PARAMS);
        hmac.put("sign_type", "HMAC-SHA256");
        hmac.put("sign", DOCUMENTED_HMAC_SHA256);
        Map<String, String> md5 = new HashMap<>(DOCUMENTED_PARAMS);
        md5.put("sign_type", "MD5");
        md5.put("sign", DOCUMENTED_MD5);

        assertThat(WxSignature.verify(hmac, KEY)).isTrue();
        assertThat(WxSignature.verify(md5, KEY)).isTrue();
        hmac.put("sign_type", "MD5");
        assertThat(WxSignature.verify(hmac, KEY)).as("an HMAC signature does not pass as MD5").isFalse();
        md5.put("device_info", "1001");
        assertThat(WxSignature.verify(md5, KEY)).as("every other field is still covered").isFalse();
    }

    @Test
    void withAnExpectedTypeAnUndeclaredSignatureIsCheckedAsThatType() {
        Map<String, String> hmacWithoutSignType = new HashMap<>(DOCUMENTED_PARAMS);
        hmacWithoutSignType.put("sign", DOCUMENTED_HMAC_SHA256);
        Map<String, String> declaresMd5 = new HashMap<>(hmacWithoutSignType);
        declaresMd5.put("sign_type", "MD5");

        assertThat(WxSignature.verify(hmacWithoutSignType, KEY, SignType.HMAC_SHA256)).isTrue();
        assertThat(WxSignature.verify(hmacWithoutSignType, KEY, SignType.MD5)).isFalse();
        assertThat(WxSignature.verify(declaresMd5, KEY, SignType.HMAC_SHA256))
                .as("a sign_type naming another type than expected").isFalse();
        assertThat(WxSignature.verify(WxSignature.signed(DOCUMENTED_PARAMS, KEY, SignType.HMAC_SHA256), KEY,
                SignType.HMAC_SHA256)).as("and one that names it, signed").isTrue();
    }

    @Test
    void verifyRefusesAnotherKey() {
        Map<String, String> signed = WxSignature.signed(DOCUMENTED_PARAMS, KEY, SignType.HMAC_SHA256);

        assertThat(WxSignature.verify(signed, KEY + "0")).isFalse();
    }

    @Test
    void anEmptyOrMissingKeyIsAConfigurationError() {
        assertThatThrownBy(() -> WxSignature.sign(DOCUMENTED_PARAMS, "", SignType.MD5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WxSignature.verify(DOCUMENTED_PARAMS, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WxSignature.sign(DOCUMENTED_PARAMS, null, SignType.MD5))
                .isInstanceOf(NullPointerException.class);
    }

    private static String md5Hex(String text) throws Exception {
        return HexFormat.of().withUpperCase()
                .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String hmacSha256Hex(String text, String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().withUpperCase().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }
}
