package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static hongbao.testing.Properties.tries;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.maps;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Fewer tries where one try generates up to 64 fields, so that the suite stays quick. */
class WxXmlProperties {
    private static final int TRIES = 1000;
    private static final int TRIES_OF_WHOLE_DOCUMENTS = 300;

    /** Where and how a written document is damaged: cut short at a position, or one byte replaced there. */
    record Damage(int position, byte replacement, boolean cut) {
    }

    private static Gen<Map<String, String>> fields() {
        return maps().of(WxPayGenerators.fieldNames(), WxPayGenerators.xmlText()).ofSizeBetween(0, WxXml.MAX_FIELDS);
    }

    private static Gen<Character> charactersXmlCannotCarry() {
        return Generate.oneOf(
                Generate.characters(0x00, 0x1F).assuming(c -> c != '\t' && c != '\n' && c != '\r'),
                Generate.characters(0xD800, 0xDFFF),
                Generate.pick(List.of('\uFFFE', '\uFFFF')));
    }

    private static Gen<byte[]> anyBytes() {
        return Generate.byteArrays(integers().between(0, 255), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
    }

    private static Gen<Damage> damages() {
        return integers().all().zip(Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0), booleans().all(),
                Damage::new);
    }

    @Test
    void parseInvertsWrite() {
        tries(TRIES_OF_WHOLE_DOCUMENTS).forAll(fields()).checkAssert(fields -> {
            byte[] written = WxXml.write(fields).getBytes(StandardCharsets.UTF_8);

            assertThat(parsed(written)).containsExactlyEntriesOf(fields);
        });
    }

    @Test
    void writeRefusesACharacterXmlCannotCarry() {
        tries(TRIES_OF_WHOLE_DOCUMENTS)
                .forAll(WxPayGenerators.xmlText(), WxPayGenerators.xmlText(), charactersXmlCannotCarry())
                // A high surrogate followed by a low one would be a legal pair; keep it unpaired.
                .assuming((before, after, illegal) -> !(Character.isHighSurrogate(illegal) && !after.isEmpty()
                        && Character.isLowSurrogate(after.charAt(0))))
                .assuming((before, after, illegal) -> !(Character.isLowSurrogate(illegal) && !before.isEmpty()
                        && Character.isHighSurrogate(before.charAt(before.length() - 1))))
                .checkAssert((before, after, illegal) ->
                        assertThatThrownBy(() -> WxXml.write(Map.of("a", before + illegal + after)))
                                .isInstanceOf(IllegalArgumentException.class));
    }

    @Test
    void writeRefusesANameOutsideThePattern() {
        tries(TRIES).forAll(strings().allPossible().ofLengthBetween(0, 255))
                .assuming(name -> !name.matches("[A-Za-z_][A-Za-z0-9_]*"))
                .checkAssert(name -> assertThatThrownBy(() -> WxXml.write(Map.of(name, "1")))
                        .isInstanceOf(IllegalArgumentException.class));
    }

    /** Whatever arrives, the caller gets a map or a WxXmlException, never another exception. */
    @Test
    void arbitraryBytesParseOrAreRefused() {
        tries(TRIES).forAll(anyBytes()).checkAssert(WxXmlProperties::assertParsesOrIsRefused);
    }

    @Test
    void aCutOrCorruptedDocumentParsesOrIsRefused() {
        tries(TRIES_OF_WHOLE_DOCUMENTS).forAll(fields(), damages()).checkAssert((fields, damage) -> {
            byte[] written = WxXml.write(fields).getBytes(StandardCharsets.UTF_8);
            int at = Math.floorMod(damage.position(), written.length);
            byte[] damaged = damage.cut() ? Arrays.copyOf(written, at) : written.clone();
            if (!damage.cut()) {
                damaged[at] = damage.replacement();
            }

            assertParsesOrIsRefused(damaged);
        });
    }

    private static Map<String, String> parsed(byte[] body) {
        try {
            return WxXml.parse(body);
        } catch (WxXmlException e) {
            throw new AssertionError("what was written does not parse back: " + e.getMessage(), e);
        }
    }

    private static void assertParsesOrIsRefused(byte[] body) {
        Throwable thrown = catchThrowable(() -> WxXml.parse(body));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(WxXmlException.class);
        }
    }
}
