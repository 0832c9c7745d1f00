package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** gethbinfo's one nested list, {@code <hblist><hbinfo>…</hbinfo></hblist>}: written, read back, and nothing more. */
class WxXmlListTest {
    private static final List<Map<String, String>> ITEMS = List.of(
            item("oA", "120", "2027-01-01 08:00:01"),
            item("oB", "80", "2027-01-01 08:00:02"));

    private static Map<String, String> item(String openid, String amount, String at) {
        Map<String, String> item = new LinkedHashMap<>();
        item.put("openid", openid);
        item.put("amount", amount);
        item.put("rcv_time", at);
        return item;
    }

    private static WxXml.Document parse(String xml) throws WxXmlException {
        return WxXml.parse(xml.getBytes(StandardCharsets.UTF_8), "hblist", "hbinfo");
    }

    @Test
    void writesTheListAfterTheFieldsExactly() {
        String xml = WxXml.write(Map.of("status", "RECEIVED"), "hblist", "hbinfo", ITEMS);

        assertThat(xml).isEqualTo("<xml><status><![CDATA[RECEIVED]]></status><hblist>"
                + "<hbinfo><openid><![CDATA[oA]]></openid><amount><![CDATA[120]]></amount>"
                + "<rcv_time><![CDATA[2027-01-01 08:00:01]]></rcv_time></hbinfo>"
                + "<hbinfo><openid><![CDATA[oB]]></openid><amount><![CDATA[80]]></amount>"
                + "<rcv_time><![CDATA[2027-01-01 08:00:02]]></rcv_time></hbinfo></hblist></xml>");
        assertThat(xml).contains("<hblist>" + WxXml.listContent("hbinfo", ITEMS) + "</hblist>");
    }

    @Test
    void readsBackWhatItWroteSoTheListContentCanBeSignedAndVerified() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("status", "RECEIVED");
        fields.put("total_num", "2");

        WxXml.Document read = parse(WxXml.write(fields, "hblist", "hbinfo", ITEMS));

        assertThat(read.fields()).containsExactlyEntriesOf(fields);
        assertThat(read.items()).isEqualTo(ITEMS);
        assertThat(WxXml.listContent("hbinfo", read.items())).isEqualTo(WxXml.listContent("hbinfo", ITEMS));
    }

    @Test
    void anEmptyOrAbsentListHasNoItems() throws Exception {
        assertThat(parse("<xml><a>1</a><hblist></hblist></xml>").items()).isEmpty();
        assertThat(parse("<xml><a>1</a></xml>").items()).isEmpty();
        assertThat(WxXml.listContent("hbinfo", List.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<xml><hblist></hblist><hblist></hblist></xml>",
            "<xml><hblist><other><a>1</a></other></hblist></xml>",
            "<xml><hblist><hbinfo><a><b>deep</b></a></hbinfo></hblist></xml>",
            "<xml><hblist>text<hbinfo><a>1</a></hbinfo></hblist></xml>",
            "<xml><hblist><hbinfo><a>1</a><a>2</a></hbinfo></hblist></xml>",
            "<xml><hblist x=\"1\"></hblist></xml>",
            "<xml><other><hbinfo><a>1</a></hbinfo></other></xml>",
            "<!DOCTYPE x [<!ENTITY e \"v\">]><xml><hblist><hbinfo><a>&e;</a></hbinfo></hblist></xml>"})
    void anythingButOneListOfFlatItemsIsRefused(String xml) {
        assertThatThrownBy(() -> parse(xml)).isInstanceOf(WxXmlException.class);
    }

    @Test
    void atMostAHundredItems() throws Exception {
        List<Map<String, String>> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add(Map.of("n", Integer.toString(i)));
        }
        assertThat(parse(WxXml.write(Map.of(), "hblist", "hbinfo", many)).items()).hasSize(100);

        many.add(Map.of("n", "100"));
        String tooMany = WxXml.write(Map.of(), "hblist", "hbinfo", many);
        assertThatThrownBy(() -> parse(tooMany)).isInstanceOf(WxXmlException.class).hasMessageContaining("100");
    }

    @Test
    void theFlatParserStillRefusesAList() {
        String xml = WxXml.write(Map.of("a", "1"), "hblist", "hbinfo", ITEMS);

        assertThatThrownBy(() -> WxXml.parse(xml.getBytes(StandardCharsets.UTF_8))).isInstanceOf(WxXmlException.class)
                .hasMessageContaining("flat");
    }
}
