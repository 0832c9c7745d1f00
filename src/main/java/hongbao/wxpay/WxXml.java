package hongbao.wxpay;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * WeChat's flat XML: {@code <xml><name>value</name>...</xml>}, values often in CDATA.
 *
 * <p>Bodies come from the network before any signature is checked, so parsing accepts only that flat shape and
 * refuses everything a general XML parser would act on: DTDs, entities, external resources.
 */
public final class WxXml {
    static final int MAX_FIELDS = 64;
    static final int MAX_ITEMS = 100;
    /** WeChat Pay's longest documented field: a payment notification's promotion_detail, up to 6,000 characters. */
    static final int MAX_VALUE_LENGTH = 6000;
    private static final String ROOT = "xml";
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private WxXml() {
    }

    /**
     * Parses a flat document into an insertion-ordered map. Refuses (WxXmlException): any DOCTYPE/DTD at all
     * (so no external entities, no entity expansion, no billion laughs), processing of external resources, a root
     * other than {@code <xml>}, nested elements deeper than one level, a repeated field name, text outside fields
     * (other than whitespace), more than 64 fields, a field value longer than 6000 characters, and malformed XML.
     * Also refused, as no WeChat document has them: attributes, processing instructions, and field names outside
     * {@code [A-Za-z_][A-Za-z0-9_]*} (so that whatever parses can be written back). Character references like
     * {@code &amp;} {@code &lt;} in values are fine and decoded; CDATA is decoded; comments are ignored. The body must
     * be UTF-8, WeChat Pay v2's only encoding: a leading byte-order mark is allowed, an encoding declaration is not
     * consulted, and invalid UTF-8 is refused.
     */
    public static Map<String, String> parse(byte[] body) throws WxXmlException {
        return parseDocument(body, null).fields();
    }

    /**
     * A flat document that may also hold one list, as gethbinfo's answer does:
     * {@code <hblist><hbinfo><openid>…</openid>…</hbinfo>…</hblist>}. The list's items are flat like the document, at
     * most 100 of them, each named {@code itemName}; anything else is refused as {@link #parse(byte[])} refuses it.
     */
    public static Document parse(byte[] body, String listName, String itemName) throws WxXmlException {
        return parseDocument(body, new ListShape(listName, itemName));
    }

    /** A parsed document: its flat fields and, if it was parsed for one, the items of its list (empty if absent). */
    public record Document(Map<String, String> fields, List<Map<String, String>> items) {
    }

    private record ListShape(String name, String itemName) {
    }

    private static Document parseDocument(byte[] body, ListShape list) throws WxXmlException {
        String text = decodeUtf8(body);
        try {
            XMLStreamReader reader = newInputFactory().createXMLStreamReader(new StringReader(text));
            try {
                return readDocument(reader, list);
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new WxXmlException(malformedMessage(e.getLocation()), e);
        }
    }

    /**
     * Writes {@code <xml>} with each field as {@code <name><![CDATA[value]]></name>} in map order (values containing
     * "]]>" split correctly into several CDATA sections); field names must match [A-Za-z_][A-Za-z0-9_]* else
     * IllegalArgumentException. A carriage return is written as {@code &#13;} between CDATA sections, because parsers
     * turn a raw one into a line feed even inside CDATA. A null value, or one holding a character XML 1.0 cannot carry
     * (most controls below U+0020, unpaired surrogates, U+FFFE, U+FFFF), is an IllegalArgumentException.
     */
    public static String write(Map<String, String> fields) {
        StringBuilder xml = new StringBuilder("<xml>");
        appendFields(xml, fields);
        return xml.append("</xml>").toString();
    }

    /**
     * Writes the fields as {@link #write(Map)} does, then the list {@code <listName>} holding one
     * {@code <itemName>} element per item, each with the item's fields: exactly {@link #listContent} between the list's
     * tags.
     */
    public static String write(Map<String, String> fields, String listName, String itemName,
            List<Map<String, String>> items) {
        requireName(listName);
        StringBuilder xml = new StringBuilder("<xml>");
        appendFields(xml, fields);
        xml.append('<').append(listName).append('>').append(listContent(itemName, items)).append("</").append(listName)
                .append('>');
        return xml.append("</xml>").toString();
    }

    /**
     * What goes between a list's tags: {@code <itemName>} elements with each item's fields in order; a reader that parsed
     * the items re-creates it exactly.
     */
    public static String listContent(String itemName, List<Map<String, String>> items) {
        requireName(itemName);
        StringBuilder xml = new StringBuilder();
        for (Map<String, String> item : items) {
            xml.append('<').append(itemName).append('>');
            appendFields(xml, item);
            xml.append("</").append(itemName).append('>');
        }
        return xml.toString();
    }

    private static void appendFields(StringBuilder xml, Map<String, String> fields) {
        fields.forEach((name, value) -> {
            requireName(name);
            if (value == null) {
                throw new IllegalArgumentException("field " + name + " has a null value");
            }
            xml.append('<').append(name).append('>');
            appendAsCdata(xml, name, value);
            xml.append("</").append(name).append('>');
        });
    }

    private static void requireName(String name) {
        if (name == null || !FIELD_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("field name " + name + " does not match " + FIELD_NAME);
        }
    }

    /**
     * Decoding here rather than in the parser gives a clear refusal, and keeps the JDK parser from printing a
     * "[Fatal Error]" line to stderr for every malformed byte sequence, which a sender could use to flood the logs.
     */
    private static String decodeUtf8(byte[] body) throws WxXmlException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body)).toString();
            // Legal before a UTF-8 document, but a parser reading characters would take it for content.
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new WxXmlException("the body is not valid UTF-8", e);
        }
    }

    /** Package-private so a test can check these settings on their own, without the DTD refusal above them. */
    static XMLInputFactory newInputFactory() {
        // The JDK's own parser, not whatever a jar on the class path registers: the settings below are checked
        // against it. A new factory per document, because StAX does not promise factories are thread-safe.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // Without a DTD only the predefined entities exist, and the parser reports those as text either way; a
        // reference to any other entity then surfaces as an event or error, never as expanded content.
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, false);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external resources are not allowed");
        });
        refuseExternalAccess(factory, XMLConstants.ACCESS_EXTERNAL_DTD);
        refuseExternalAccess(factory, XMLConstants.ACCESS_EXTERNAL_SCHEMA);
        return factory;
    }

    private static void refuseExternalAccess(XMLInputFactory factory, String property) {
        if (factory.isPropertySupported(property)) {
            factory.setProperty(property, "");
        }
    }

    private static Document readDocument(XMLStreamReader reader, ListShape list) throws XMLStreamException, WxXmlException {
        if (nextOutsideFields(reader) != XMLStreamConstants.START_ELEMENT || !ROOT.equals(reader.getLocalName())) {
            throw new WxXmlException("the root element must be <xml>");
        }
        refuseAttributes(reader);
        Map<String, String> fields = new LinkedHashMap<>();
        List<Map<String, String>> items = null;
        while (nextOutsideFields(reader) == XMLStreamConstants.START_ELEMENT) {
            if (list != null && list.name().equals(reader.getLocalName())) {
                if (items != null) {
                    throw new WxXmlException("list <" + list.name() + "> is repeated");
                }
                refuseAttributes(reader);
                items = readItems(reader, list);
            } else {
                readField(reader, fields);
            }
        }
        // Reading on to the end makes the parser check what follows </xml>, so trailing junk is refused too.
        if (nextOutsideFields(reader) != XMLStreamConstants.END_DOCUMENT) {
            throw new WxXmlException("content after </xml>");
        }
        return new Document(fields, items == null ? List.of() : items);
    }

    /** Reads the field the reader stands at the start of into {@code fields}. */
    private static void readField(XMLStreamReader reader, Map<String, String> fields) throws XMLStreamException,
            WxXmlException {
        String name = reader.getLocalName();
        if (!FIELD_NAME.matcher(name).matches()) {
            throw new WxXmlException("a field name does not match " + FIELD_NAME);
        }
        if (fields.containsKey(name)) {
            throw new WxXmlException("field <" + name + "> is repeated");
        }
        if (fields.size() == MAX_FIELDS) {
            throw new WxXmlException("more than " + MAX_FIELDS + " fields");
        }
        refuseAttributes(reader);
        fields.put(name, readValue(reader, name));
    }

    private static List<Map<String, String>> readItems(XMLStreamReader reader, ListShape list)
            throws XMLStreamException, WxXmlException {
        List<Map<String, String>> items = new ArrayList<>();
        while (nextOutsideFields(reader) == XMLStreamConstants.START_ELEMENT) {
            if (!list.itemName().equals(reader.getLocalName())) {
                throw new WxXmlException("<" + list.name() + "> may only hold <" + list.itemName() + "> elements");
            }
            if (items.size() == MAX_ITEMS) {
                throw new WxXmlException("more than " + MAX_ITEMS + " <" + list.itemName() + "> elements");
            }
            refuseAttributes(reader);
            Map<String, String> item = new LinkedHashMap<>();
            while (nextOutsideFields(reader) == XMLStreamConstants.START_ELEMENT) {
                readField(reader, item);
            }
            items.add(item);
        }
        return List.copyOf(items);
    }

    /**
     * The next element boundary or the end of the document, passing over whitespace and comments and refusing
     * anything else found between fields.
     */
    private static int nextOutsideFields(XMLStreamReader reader) throws XMLStreamException, WxXmlException {
        while (true) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT,
                        XMLStreamConstants.END_DOCUMENT -> {
                    return event;
                }
                case XMLStreamConstants.COMMENT, XMLStreamConstants.SPACE -> {
                    // Carry no data.
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                    if (!reader.isWhiteSpace()) {
                        throw new WxXmlException("text outside fields");
                    }
                }
                default -> refuseMarkup(event);
            }
        }
    }

    private static String readValue(XMLStreamReader reader, String name) throws XMLStreamException, WxXmlException {
        StringBuilder value = new StringBuilder();
        while (true) {
            int event = reader.next();
            switch (event) {
                case XMLStreamConstants.END_ELEMENT -> {
                    return value.toString();
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    value.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
                    if (value.length() > MAX_VALUE_LENGTH) {
                        throw new WxXmlException("field <" + name + "> is longer than " + MAX_VALUE_LENGTH
                                + " characters");
                    }
                }
                case XMLStreamConstants.COMMENT -> {
                    // Carries no data.
                }
                case XMLStreamConstants.START_ELEMENT ->
                        throw new WxXmlException("field <" + name + "> contains an element; fields must be flat");
                default -> refuseMarkup(event);
            }
        }
    }

    private static void refuseMarkup(int event) throws WxXmlException {
        throw new WxXmlException(switch (event) {
            // Checked here, not left to SUPPORT_DTD, so that no parser setting can quietly let a DTD through.
            case XMLStreamConstants.DTD -> "a DOCTYPE is not allowed";
            case XMLStreamConstants.ENTITY_REFERENCE -> "entity references are not allowed";
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> "processing instructions are not allowed";
            default -> "unexpected XML content";
        });
    }

    private static void refuseAttributes(XMLStreamReader reader) throws WxXmlException {
        if (reader.getAttributeCount() > 0) {
            throw new WxXmlException("attributes are not allowed");
        }
    }

    /** Only the position: the parser's own message may quote the document and stays in the cause, for logs. */
    private static String malformedMessage(Location location) {
        return location == null ? "malformed XML"
                : "malformed XML at line " + location.getLineNumber() + ", column " + location.getColumnNumber();
    }

    private static void appendAsCdata(StringBuilder xml, String name, String value) {
        xml.append("<![CDATA[");
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            if (!isXmlChar(c)) {
                throw new IllegalArgumentException(
                        "field " + name + " holds U+" + String.format("%04X", c) + ", which XML cannot carry");
            }
            if (c == '\r') {
                xml.append("]]>&#13;<![CDATA[");
            } else if (c == '>' && value.startsWith("]]", i - 2)) {
                xml.append("]]><![CDATA[>");
            } else {
                xml.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        xml.append("]]>");
    }

    /** XML 1.0's Char production. */
    private static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
