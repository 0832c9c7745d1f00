package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static hongbao.testing.Properties.tries;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class WxSignatureProperties {
    private static final int TRIES = 1000;

    /** What one signature is made from. */
    record Signing(Map<String, String> params, String key, SignType type) {
        Map<String, String> signed() {
            return WxSignature.signed(params, key, type);
        }
    }

    private static Gen<String> names() {
        // sign and sign_type have their own meaning; the example-based tests cover them.
        return WxPayGenerators.fieldNames().assuming(name -> !name.equals("sign") && !name.equals("sign_type"));
    }

    private static Gen<String> values() {
        return strings().ascii().ofLengthBetween(0, 32);
    }

    private static Gen<String> nonEmptyValues() {
        return strings().ascii().ofLengthBetween(1, 32);
    }

    private static Gen<String> keys() {
        return strings().ascii().ofLengthBetween(1, 40);
    }

    private static Gen<Map<String, String>> params() {
        return maps().of(names(), values()).ofSizeBetween(0, 16);
    }

    private static Gen<Signing> signings() {
        return params().zip(keys(), Generate.enumValues(SignType.class), Signing::new);
    }

    private static Gen<String> anyText() {
        return strings().allPossible().ofLengthBetween(0, 255);
    }

    @Test
    void whatIsSignedVerifies() {
        tries(TRIES).forAll(signings())
                .checkAssert(s -> assertThat(WxSignature.verify(s.signed(), s.key())).isTrue());
    }

    @Test
    void aSignatureIsUppercaseHexOfTheDigestsLength() {
        tries(TRIES).forAll(signings()).checkAssert(s -> {
            int hexDigits = s.type() == SignType.MD5 ? 32 : 64;

            assertThat(WxSignature.sign(s.params(), s.key(), s.type())).matches("[0-9A-F]{" + hexDigits + "}");
        });
    }

    @Test
    void changingAnyValueBreaksTheSignature() {
        tries(TRIES).forAll(signings(), integers().all(), nonEmptyValues())
                .assuming((s, pick, replacement) -> pickedName(s.params(), pick)
                        .filter(name -> !s.params().get(name).equals(replacement)).isPresent())
                .checkAssert((s, pick, replacement) -> {
                    Map<String, String> tampered = new HashMap<>(s.signed());

                    tampered.put(pickedName(s.params(), pick).orElseThrow(), replacement);

                    assertThat(WxSignature.verify(tampered, s.key())).isFalse();
                });
    }

    @Test
    void addingAFieldBreaksTheSignature() {
        tries(TRIES).forAll(signings(), names(), nonEmptyValues())
                .assuming((s, name, value) -> !s.params().containsKey(name))
                .checkAssert((s, name, value) -> {
                    Map<String, String> tampered = new HashMap<>(s.signed());

                    tampered.put(name, value);

                    assertThat(WxSignature.verify(tampered, s.key())).isFalse();
                });
    }

    @Test
    void removingAFieldBreaksTheSignature() {
        tries(TRIES).forAll(signings(), integers().all())
                .assuming((s, pick) -> pickedRemovable(s.signed(), pick).isPresent())
                .checkAssert((s, pick) -> {
                    Map<String, String> tampered = new HashMap<>(s.signed());

                    tampered.remove(pickedRemovable(s.signed(), pick).orElseThrow());

                    assertThat(WxSignature.verify(tampered, s.key())).isFalse();
                });
    }

    @Test
    void anotherKeyDoesNotVerify() {
        tries(TRIES).forAll(signings(), keys())
                .assuming((s, otherKey) -> !s.key().equals(otherKey))
                .checkAssert((s, otherKey) -> assertThat(WxSignature.verify(s.signed(), otherKey)).isFalse());
    }

    @Test
    void emptyValuesDoNotAffectTheSignature() {
        tries(TRIES).forAll(signings(), names())
                .assuming((s, name) -> !s.params().containsKey(name))
                .checkAssert((s, name) -> {
                    Map<String, String> withEmpty = new HashMap<>(s.params());
                    withEmpty.put(name, "");
                    Map<String, String> signedWithEmpty = new HashMap<>(s.signed());
                    signedWithEmpty.put(name, "");

                    assertThat(WxSignature.sign(withEmpty, s.key(), s.type()))
                            .isEqualTo(WxSignature.sign(s.params(), s.key(), s.type()));
                    assertThat(WxSignature.verify(signedWithEmpty, s.key())).isTrue();
                });
    }

    @Test
    void theOrderOfTheMapDoesNotMatter() {
        tries(TRIES).forAll(signings(), longs().all()).checkAssert((s, seed) -> {
            List<Map.Entry<String, String>> entries = new ArrayList<>(s.params().entrySet());
            Collections.shuffle(entries, new Random(seed));
            Map<String, String> reordered = new LinkedHashMap<>();
            entries.forEach(entry -> reordered.put(entry.getKey(), entry.getValue()));

            assertThat(WxSignature.sign(reordered, s.key(), s.type()))
                    .isEqualTo(WxSignature.sign(s.params(), s.key(), s.type()));
        });
    }

    @Test
    void verifyAnswersFalseRatherThanThrowingForAnySignOrSignType() {
        tries(TRIES).forAll(params(), keys(), anyText(), anyText()).checkAssert((params, key, sign, signType) -> {
            Map<String, String> forged = new HashMap<>(params);
            forged.put("sign", sign);
            forged.put("sign_type", signType);

            assertThat(WxSignature.verify(forged, key)).isFalse();
        });
    }

    private static Optional<String> pickedName(Map<String, String> params, int pick) {
        return picked(namesWithValues(params), pick);
    }

    private static Optional<String> pickedRemovable(Map<String, String> signed, int pick) {
        return picked(namesWithValues(signed).stream().filter(name -> !name.equals("sign")).toList(), pick);
    }

    private static Optional<String> picked(List<String> names, int pick) {
        return names.isEmpty() ? Optional.empty()
                : Optional.of(names.get(Math.floorMod(pick, names.size())));
    }

    private static List<String> namesWithValues(Map<String, String> params) {
        return params.entrySet().stream().filter(entry -> !entry.getValue().isEmpty()).map(Map.Entry::getKey)
                .sorted().toList();
    }
}
