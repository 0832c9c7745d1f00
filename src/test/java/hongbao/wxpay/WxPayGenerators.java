package hongbao.wxpay;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators shared by the property tests. */
final class WxPayGenerators {
    private static final String LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    private static final String DIGITS = "0123456789";

    private WxPayGenerators() {
    }

    /** Names matching [A-Za-z_][A-Za-z0-9_]*, short so that maps often share some. */
    static Gen<String> fieldNames() {
        Gen<String> first = Generate.pick(chars(LETTERS)).map(letter -> String.valueOf(letter));
        Gen<String> rest = lists().of(Generate.pick(chars(LETTERS + DIGITS))).ofSizeBetween(0, 12)
                .map(WxPayGenerators::joined);
        return first.zip(rest, String::concat);
    }

    /** Text made of what XML 1.0 can carry, weighted towards what trips up CDATA and line-end handling. */
    static Gen<String> xmlText() {
        Gen<String> tricky = Generate.pick(List.of("]]>", "]]", "]", ">", "<", "&", "&amp;", "&#13;", "<![CDATA[",
                "\r", "\r\n", "\n", "\t", " "));
        Gen<String> codePoint = Generate.frequency(
                        Pair.of(6, integers().between(0x20, 0x7E)),
                        Pair.of(3, integers().between(0xA0, 0xD7FF)),
                        Pair.of(1, integers().between(0xE000, 0xFFFD)),
                        Pair.of(1, integers().between(0x10000, 0x10FFFF)))
                .map(point -> Character.toString(point));
        return lists().of(Generate.oneOf(tricky, codePoint)).ofSizeBetween(0, 24).map(pieces -> String.join("", pieces));
    }

    private static List<Character> chars(String text) {
        return text.chars().mapToObj(c -> (char) c).toList();
    }

    private static String joined(List<Character> chars) {
        StringBuilder text = new StringBuilder(chars.size());
        chars.forEach(text::append);
        return text.toString();
    }
}
