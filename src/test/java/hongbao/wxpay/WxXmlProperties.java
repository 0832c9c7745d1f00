package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fewer tries where one try generates up to 64 fields, so that the suite stays quick. */
class WxXmlProperties {

    @Provide
    Arbitrary<Map<String, String>> fields() {
        return Arbitraries.maps(WxPayArbitraries.fieldNames(), WxPayArbitraries.xmlText()).ofMaxSize(WxXml.MAX_FIELDS);
    }

    @Provide
    Arbitrary<String> xmlText() {
        return WxPayArbitraries.xmlText();
    }

    @Provide
    Arbitrary<Character> charactersXmlCannotCarry() {
        return Arbitraries.oneOf(
                Arbitraries.chars().range('\u0000', '\u001F').filter(c -> c != '\t' && c != '\n' && c != '\r'),
                Arbitraries.chars().range('\uD800', '\uDFFF'),
                Arbitraries.of('\uFFFE', '\uFFFF'));
    }

    @Property(tries = 300)
    void parseInvertsWrite(@ForAll("fields") Map<String, String> fields) throws WxXmlException {
        byte[] written = WxXml.write(fields).getBytes(StandardCharsets.UTF_8);

        assertThat(WxXml.parse(written)).containsExactlyEntriesOf(fields);
    }

    @Property(tries = 300)
    void writeRefusesACharacterXmlCannotCarry(@ForAll("xmlText") String before, @ForAll("xmlText") String after,
            @ForAll("charactersXmlCannotCarry") char illegal) {
        // A high surrogate followed by a low one would be a legal pair; keep it unpaired.
        Assume.that(!(Character.isHighSurrogate(illegal) && !after.isEmpty()
                && Character.isLowSurrogate(after.charAt(0))));
        Assume.that(!(Character.isLowSurrogate(illegal) && !before.isEmpty()
                && Character.isHighSurrogate(before.charAt(before.length() - 1))));

        assertThatThrownBy(() -> WxXml.write(Map.of("a", before + illegal + after)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void writeRefusesANameOutsideThePattern(@ForAll String name) {
        Assume.that(!name.matches("[A-Za-z_][A-Za-z0-9_]*"));

        assertThatThrownBy(() -> WxXml.write(Map.of(name, "1"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Whatever arrives, the caller gets a map or a WxXmlException, never another exception. */
    @Property
    void arbitraryBytesParseOrAreRefused(@ForAll byte[] body) {
        assertParsesOrIsRefused(body);
    }

    @Property(tries = 300)
    void aCutOrCorruptedDocumentParsesOrIsRefused(@ForAll("fields") Map<String, String> fields,
            @ForAll int position, @ForAll byte replacement, @ForAll boolean cut) {
        byte[] written = WxXml.write(fields).getBytes(StandardCharsets.UTF_8);
        int at = Math.floorMod(position, written.length);
        byte[] damaged = cut ? Arrays.copyOf(written, at) : written.clone();
        if (!cut) {
            damaged[at] = replacement;
        }

        assertParsesOrIsRefused(damaged);
    }

    private static void assertParsesOrIsRefused(byte[] body) {
        Throwable thrown = catchThrowable(() -> WxXml.parse(body));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(WxXmlException.class);
        }
    }
}
