package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WxXmlTest {
    /** Shaped like WeChat's documented payment notification: CDATA values, a bare number, line breaks, indentation. */
    private static final String NOTIFICATION = """
            <xml>
              <appid><![CDATA[wx2421b1c4370ec43b]]></appid>
              <attach><![CDATA[支付测试]]></attach>
              <bank_type><![CDATA[CFT]]></bank_type>
              <mch_id><![CDATA[10000100]]></mch_id>
              <nonce_str><![CDATA[5d2b6c2a8db53831f7eda20af46e531c]]></nonce_str>
              <out_trade_no><![CDATA[1409811653]]></out_trade_no>
              <result_code><![CDATA[SUCCESS]]></result_code>
              <return_code><![CDATA[SUCCESS]]></return_code>
              <sign><![CDATA[B552ED6B279343CB493C5DD0D78AB241]]></sign>
              <total_fee>1</total_fee>
            </xml>
            """;

    @Test
    void parsesANotificationInDocumentOrder() throws Exception {
        Map<String, String> fields = parse(NOTIFICATION);

        assertThat(fields).containsExactly(
                entry("appid", "wx2421b1c4370ec43b"),
                entry("attach", "支付测试"),
                entry("bank_type", "CFT"),
                entry("mch_id", "10000100"),
                entry("nonce_str", "5d2b6c2a8db53831f7eda20af46e531c"),
                entry("out_trade_no", "1409811653"),
                entry("result_code", "SUCCESS"),
                entry("return_code", "SUCCESS"),
                entry("sign", "B552ED6B279343CB493C5DD0D78AB241"),
                entry("total_fee", "1"));
    }

    @Test
    void decodesCharacterReferencesAndCdata() throws Exception {
        Map<String, String> fields = parse("<xml><a>x &amp; &lt;y&gt; &quot;&apos; &#x7EA2;&#21253;</a>"
                + "<b><![CDATA[<c> & &amp; ]]></b><c>1<![CDATA[<2>]]>3</c></xml>");

        assertThat(fields).containsExactly(
                entry("a", "x & <y> \"' 红包"),
                entry("b", "<c> & &amp; "),
                entry("c", "1<2>3"));
    }

    @Test
    void emptyFieldsAreEmptyStrings() throws Exception {
        assertThat(parse("<xml><a/><b></b><c><![CDATA[]]></c></xml>"))
                .containsExactly(entry("a", ""), entry("b", ""), entry("c", ""));
    }

    @Test
    void anEmptyDocumentIsAnEmptyMap() throws Exception {
        assertThat(parse("<xml/>")).isEmpty();
        assertThat(parse("<xml>\n  </xml>")).isEmpty();
    }

    @Test
    void whitespaceInsideAValueIsKept() throws Exception {
        assertThat(parse("<xml><a> 1 </a><b>\t\n</b></xml>")).containsExactly(entry("a", " 1 "), entry("b", "\t\n"));
    }

    @Test
    void commentsAndAnXmlDeclarationAreAccepted() throws Exception {
        assertThat(parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- from WeChat -->"
                + "<xml><!-- between --><a>1<!-- inside -->2</a></xml><!-- after -->"))
                .containsExactly(entry("a", "12"));
    }

    @Test
    void aUtf8ByteOrderMarkIsAcceptedAndAnEncodingDeclarationIgnored() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] document = "<?xml version=\"1.0\" encoding=\"GBK\"?><xml><a>红包</a></xml>"
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[bom.length + document.length];
        System.arraycopy(bom, 0, body, 0, bom.length);
        System.arraycopy(document, 0, body, bom.length, document.length);

        assertThat(WxXml.parse(body)).containsExactly(entry("a", "红包"));
    }

    static Stream<byte[]> bodiesThatAreNotUtf8() {
        return Stream.of(
                "<xml><a>红包</a></xml>".getBytes(StandardCharsets.UTF_16),
                "<xml><a>café</a></xml>".getBytes(StandardCharsets.ISO_8859_1),
                "<xml><a>红</a></xml>".getBytes(Charset.forName("GBK")),
                new byte[] {'<', 'x', 'm', 'l', '>', (byte) 0xE7, (byte) 0xBA});
    }

    @ParameterizedTest
    @MethodSource("bodiesThatAreNotUtf8")
    void aBodyThatIsNotUtf8IsRefused(byte[] body) {
        assertThatThrownBy(() -> WxXml.parse(body))
                .isInstanceOf(WxXmlException.class)
                .hasMessage("the body is not valid UTF-8")
                .hasCauseInstanceOf(CharacterCodingException.class);
    }

    @Test
    void sixtyFourFieldsAreAcceptedAndSixtyFiveRefused() throws Exception {
        assertThat(parse(documentWithFields(WxXml.MAX_FIELDS))).hasSize(WxXml.MAX_FIELDS);

        assertRefused(documentWithFields(WxXml.MAX_FIELDS + 1), "more than 64 fields");
    }

    @Test
    void aValueOf6000CharactersIsAcceptedAnd6001Refused() throws Exception {
        String longest = "红".repeat(WxXml.MAX_VALUE_LENGTH);

        assertThat(parse("<xml><a>" + longest + "</a></xml>")).containsEntry("a", longest);
        assertRefused("<xml><a>" + longest + "x</a></xml>", "field <a> is longer than 6000 characters");
        // Split over text and CDATA, the pieces still count together.
        assertRefused("<xml><a>" + "x".repeat(5000) + "<![CDATA[" + "y".repeat(1001) + "]]></a></xml>",
                "field <a> is longer than 6000 characters");
    }

    static Stream<Arguments> refusedDocuments() {
        return Stream.of(
                Arguments.of("", "malformed XML"),
                Arguments.of("not xml", "malformed XML"),
                Arguments.of("<xml><a>1</a>", "malformed XML"),
                Arguments.of("<xml><a>1</b></xml>", "malformed XML"),
                Arguments.of("<xml><a>1</a></xml><xml/>", "malformed XML"),
                Arguments.of("<xml><a>1</a></xml>trailing", "malformed XML"),
                Arguments.of("<xml><a>&#0;</a></xml>", "malformed XML"),
                Arguments.of("<xml><a>1 & 2</a></xml>", "malformed XML"),
                Arguments.of("<root><a>1</a></root>", "the root element must be <xml>"),
                Arguments.of("<XML><a>1</a></XML>", "the root element must be <xml>"),
                Arguments.of("<wx:xml xmlns:wx=\"urn:x\"><a>1</a></wx:xml>", "the root element must be <xml>"),
                Arguments.of("<xml><a><b>1</b></a></xml>", "field <a> contains an element; fields must be flat"),
                Arguments.of("<xml><a>1<b/>2</a></xml>", "field <a> contains an element; fields must be flat"),
                Arguments.of("<xml><a>1</a><a>1</a></xml>", "field <a> is repeated"),
                Arguments.of("<xml>hello<a>1</a></xml>", "text outside fields"),
                Arguments.of("<xml><a>1</a>tail</xml>", "text outside fields"),
                Arguments.of("<xml><![CDATA[x]]><a>1</a></xml>", "text outside fields"),
                Arguments.of("<xml>&#65;<a>1</a></xml>", "text outside fields"),
                Arguments.of("<xml id=\"1\"><a>1</a></xml>", "attributes are not allowed"),
                Arguments.of("<xml xmlns=\"urn:x\"><a>1</a></xml>", "attributes are not allowed"),
                Arguments.of("<xml><a id=\"1\">1</a></xml>", "attributes are not allowed"),
                Arguments.of("<xml><?php echo 1; ?><a>1</a></xml>", "processing instructions are not allowed"),
                Arguments.of("<xml><a>1<?x?></a></xml>", "processing instructions are not allowed"),
                Arguments.of("<xml><a>&nbsp;</a></xml>", "entity references are not allowed"),
                Arguments.of("<xml><a-b>1</a-b></xml>", "a field name does not match"),
                Arguments.of("<xml><wx:a xmlns:wx=\"urn:x\">1</wx:a></xml>", "a field name does not match"));
    }

    @ParameterizedTest
    @MethodSource("refusedDocuments")
    void refusesWithAClearMessage(String document, String message) {
        assertRefused(document, message);
    }

    @Test
    void aMalformedDocumentSaysWhereAndKeepsTheParsersReasonAsCause() {
        assertThatThrownBy(() -> parse("<xml>\n<a>1</b>\n</xml>"))
                .isInstanceOf(WxXmlException.class)
                .hasMessageStartingWith("malformed XML at line 2, column")
                .hasCauseInstanceOf(XMLStreamException.class);
    }

    @Test
    void writesEachFieldAsCdataInMapOrder() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("return_code", "SUCCESS");
        fields.put("return_msg", "OK <&>");
        fields.put("empty", "");

        assertThat(WxXml.write(fields)).isEqualTo("<xml><return_code><![CDATA[SUCCESS]]></return_code>"
                + "<return_msg><![CDATA[OK <&>]]></return_msg><empty><![CDATA[]]></empty></xml>");
    }

    @Test
    void writeSplitsCdataAroundItsTerminator() throws Exception {
        String written = WxXml.write(Map.of("a", "x]]>y]]]>z"));

        assertThat(written).isEqualTo("<xml><a><![CDATA[x]]]]><![CDATA[>y]]]]]><![CDATA[>z]]></a></xml>");
        assertThat(parse(written)).containsExactly(entry("a", "x]]>y]]]>z"));
    }

    @Test
    void writeKeepsCarriageReturnsAsCharacterReferences() throws Exception {
        String written = WxXml.write(Map.of("a", "1\r\n2\r"));

        assertThat(written).isEqualTo("<xml><a><![CDATA[1]]>&#13;<![CDATA[\n2]]>&#13;<![CDATA[]]></a></xml>");
        assertThat(parse(written)).containsExactly(entry("a", "1\r\n2\r"));
    }

    @Test
    void aNotificationSurvivesParseWriteParse() throws Exception {
        Map<String, String> fields = parse(NOTIFICATION);

        assertThat(parse(WxXml.write(fields))).containsExactlyEntriesOf(fields);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1a", "a-b", "a b", "a:b", "红包", "a\u0000", "<a>", "xml>"})
    void writeRefusesANameOutsideThePattern(String name) {
        assertThatThrownBy(() -> WxXml.write(Map.of(name, "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[A-Za-z_][A-Za-z0-9_]*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "a\u0008", "\u001F", "\uFFFE", "\uFFFF", "\uD800", "x\uDC00y", "\uDC00\uD800"})
    void writeRefusesCharactersXmlCannotCarry(String value) {
        assertThatThrownBy(() -> WxXml.write(Map.of("a", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("which XML cannot carry");
    }

    @Test
    void writeRefusesANullValueOrName() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("a", null);
        Map<String, String> nullName = new HashMap<>();
        nullName.put(null, "1");

        assertThatThrownBy(() -> WxXml.write(nullValue)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WxXml.write(nullName)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writeCarriesSupplementaryCharacters() throws Exception {
        String emoji = "🧧 红包 \uD83D\uDE00";

        assertThat(parse(WxXml.write(Map.of("a", emoji)))).containsExactly(entry("a", emoji));
    }

    static void assertRefused(String document, String message) {
        assertThatThrownBy(() -> parse(document))
                .isInstanceOf(WxXmlException.class)
                .hasMessageContaining(message);
    }

    private static Map<String, String> parse(String document) throws WxXmlException {
        return WxXml.parse(document.getBytes(StandardCharsets.UTF_8));
    }

    private static String documentWithFields(int count) {
        StringBuilder document = new StringBuilder("<xml>");
        for (int i = 0; i < count; i++) {
            document.append("<f").append(i).append('>').append(i).append("</f").append(i).append('>');
        }
        return document.append("</xml>").toString();
    }
}
