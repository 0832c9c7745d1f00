package hongbao.wxpay;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators shared by the property tests. */
final class WxPayArbitraries {
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    private static final String DIGITS = "0123456789";

    private WxPayArbitraries() {
    }

    /** Names matching [A-Za-z_][A-Za-z0-9_]*, short so that maps often share some. */
    static Arbitrary<String> fieldNames() {
        Arbitrary<Character> first = Arbitraries.of(chars(LETTERS));
        Arbitrary<String> rest = Arbitraries.strings().withChars(LETTERS + DIGITS).ofMaxLength(12);
        return Combinators.combine(first, rest).as((head, tail) -> head + tail);
    }

    /** Text made of what XML 1.0 can carry, weighted towards what trips up CDATA and line-end handling. */
    static Arbitrary<String> xmlText() {
        Arbitrary<String> tricky = Arbitraries.of("]]>", "]]", "]", ">", "<", "&", "&amp;", "&#13;", "<![CDATA[",
                "\r", "\r\n", "\n", "\t", " ");
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7E);
        Arbitrary<Integer> belowSurrogates = Arbitraries.integers().between(0xA0, 0xD7FF);
        Arbitrary<Integer> aboveSurrogates = Arbitraries.integers().between(0xE000, 0xFFFD);
        Arbitrary<Integer> supplementary = Arbitraries.integers().between(0x10000, 0x10FFFF);
        Arbitrary<String> codePoint = Arbitraries.frequencyOf(
                        Tuple.of(6, ascii), Tuple.of(3, belowSurrogates), Tuple.of(1, aboveSurrogates),
                        Tuple.of(1, supplementary))
                .map(Character::toString);
        return Arbitraries.oneOf(tricky, codePoint).list().ofMaxSize(24).map(pieces -> String.join("", pieces));
    }

    private static List<Character> chars(String text) {
        return text.chars().mapToObj(c -> (char) c).toList();
    }
}
