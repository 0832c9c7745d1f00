package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class WxSignatureProperties {

    @Provide
    Arbitrary<String> names() {
        // sign and sign_type have their own meaning; the example-based tests cover them.
        return WxPayArbitraries.fieldNames().filter(name -> !name.equals("sign") && !name.equals("sign_type"));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().ascii().ofMaxLength(32);
    }

    @Provide
    Arbitrary<String> nonEmptyValues() {
        return Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(32);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(40);
    }

    @Provide
    Arbitrary<Map<String, String>> params() {
        return Arbitraries.maps(names(), values()).ofMaxSize(16);
    }

    @Property
    void whatIsSignedVerifies(@ForAll("params") Map<String, String> params, @ForAll("keys") String key,
            @ForAll SignType type) {
        assertThat(WxSignature.verify(WxSignature.signed(params, key, type), key)).isTrue();
    }

    @Property
    void aSignatureIsUppercaseHexOfTheDigestsLength(@ForAll("params") Map<String, String> params,
            @ForAll("keys") String key, @ForAll SignType type) {
        int hexDigits = type == SignType.MD5 ? 32 : 64;

        assertThat(WxSignature.sign(params, key, type)).matches("[0-9A-F]{" + hexDigits + "}");
    }

    @Property
    void changingAnyValueBreaksTheSignature(@ForAll("params") Map<String, String> params, @ForAll("keys") String key,
            @ForAll SignType type, @ForAll int pick, @ForAll("nonEmptyValues") String replacement) {
        List<String> signedNames = namesWithValues(params);
        Assume.that(!signedNames.isEmpty());
        String name = signedNames.get(Math.floorMod(pick, signedNames.size()));
        Assume.that(!params.get(name).equals(replacement));
        Map<String, String> tampered = new HashMap<>(WxSignature.signed(params, key, type));

        tampered.put(name, replacement);

        assertThat(WxSignature.verify(tampered, key)).isFalse();
    }

    @Property
    void addingAFieldBreaksTheSignature(@ForAll("params") Map<String, String> params, @ForAll("keys") String key,
            @ForAll SignType type, @ForAll("names") String name, @ForAll("nonEmptyValues") String value) {
        Assume.that(!params.containsKey(name));
        Map<String, String> tampered = new HashMap<>(WxSignature.signed(params, key, type));

        tampered.put(name, value);

        assertThat(WxSignature.verify(tampered, key)).isFalse();
    }

    @Property
    void removingAFieldBreaksTheSignature(@ForAll("params") Map<String, String> params, @ForAll("keys") String key,
            @ForAll SignType type, @ForAll int pick) {
        Map<String, String> signed = WxSignature.signed(params, key, type);
        List<String> removable = namesWithValues(signed).stream().filter(name -> !name.equals("sign")).toList();
        Assume.that(!removable.isEmpty());
        Map<String, String> tampered = new HashMap<>(signed);

        tampered.remove(removable.get(Math.floorMod(pick, removable.size())));

        assertThat(WxSignature.verify(tampered, key)).isFalse();
    }

    @Property
    void anotherKeyDoesNotVerify(@ForAll("params") Map<String, String> params, @ForAll("keys") String key,
            @ForAll("keys") String otherKey, @ForAll SignType type) {
        Assume.that(!key.equals(otherKey));

        assertThat(WxSignature.verify(WxSignature.signed(params, key, type), otherKey)).isFalse();
    }

    @Property
    void emptyValuesDoNotAffectTheSignature(@ForAll("params") Map<String, String> params, @ForAll("keys") String key,
            @ForAll SignType type, @ForAll("names") String name) {
        Assume.that(!params.containsKey(name));
        Map<String, String> withEmpty = new HashMap<>(params);
        withEmpty.put(name, "");
        Map<String, String> signedWithEmpty = new HashMap<>(WxSignature.signed(params, key, type));
        signedWithEmpty.put(name, "");

        assertThat(WxSignature.sign(withEmpty, key, type)).isEqualTo(WxSignature.sign(params, key, type));
        assertThat(WxSignature.verify(signedWithEmpty, key)).isTrue();
    }

    @Property
    void theOrderOfTheMapDoesNotMatter(@ForAll("params") Map<String, String> params, @ForAll("keys") String key,
            @ForAll SignType type, @ForAll long seed) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(params.entrySet());
        Collections.shuffle(entries, new Random(seed));
        Map<String, String> reordered = new LinkedHashMap<>();
        entries.forEach(entry -> reordered.put(entry.getKey(), entry.getValue()));

        assertThat(WxSignature.sign(reordered, key, type)).isEqualTo(WxSignature.sign(params, key, type));
    }

    @Property
    void verifyAnswersFalseRatherThanThrowingForAnySignOrSignType(@ForAll("params") Map<String, String> params,
            @ForAll("keys") String key, @ForAll String sign, @ForAll String signType) {
        Map<String, String> forged = new HashMap<>(params);
        forged.put("sign", sign);
        forged.put("sign_type", signType);

        assertThat(WxSignature.verify(forged, key)).isFalse();
    }

    private static List<String> namesWithValues(Map<String, String> params) {
        return params.entrySet().stream().filter(entry -> !entry.getValue().isEmpty()).map(Map.Entry::getKey)
                .sorted().toList();
    }
}
