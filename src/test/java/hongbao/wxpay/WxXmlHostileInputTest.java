package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies arrive before any signature is checked, so the parser must be safe against whoever can reach the port. */
@Timeout(value = 5, unit = TimeUnit.SECONDS)
class WxXmlHostileInputTest {

    @Test
    void anExternalFileEntityIsRefusedAndTheFileNeverRead(@TempDir Path dir) throws Exception {
        String secret = "secret-" + System.nanoTime();
        Path file = Files.writeString(dir.resolve("entity-target.txt"), secret);
        String document = "<!DOCTYPE x [<!ENTITY e SYSTEM \"" + file.toUri() + "\">]><xml><a>&e;</a></xml>";

        Throwable refusal = refusalOf(document);

        assertThat(refusal).hasMessageContaining("DOCTYPE");
        assertThat(messagesOf(refusal)).noneMatch(message -> message.contains(secret));
    }

    @Test
    void etcPasswdIsNeverRead() throws Exception {
        Path passwd = Path.of("/etc/passwd");
        assumeThat(Files.isReadable(passwd)).isTrue();
        List<String> lines = Files.readAllLines(passwd).stream().filter(line -> line.length() > 8).toList();
        String document = "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><a>&e;</a></xml>";

        Throwable refusal = refusalOf(document);

        assertThat(refusal).hasMessageContaining("DOCTYPE");
        assertThat(messagesOf(refusal)).noneMatch(message -> lines.stream().anyMatch(message::contains));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<!DOCTYPE xml SYSTEM \"http://127.0.0.1:%d/x.dtd\"><xml/>",
            "<!DOCTYPE xml PUBLIC \"-//X//DTD X//EN\" \"http://127.0.0.1:%d/x.dtd\"><xml/>",
            "<!DOCTYPE xml [<!ENTITY %% p SYSTEM \"http://127.0.0.1:%d/x.dtd\"> %%p;]><xml/>",
            "<!DOCTYPE xml [<!ENTITY e SYSTEM \"http://127.0.0.1:%d/x\">]><xml><a>&e;</a></xml>",
            "<!DOCTYPE xml [<!ENTITY e SYSTEM \"jar:http://127.0.0.1:%d/x.jar!/x\">]><xml><a>&e;</a></xml>"})
    void anExternalDtdOrEntityIsRefusedWithoutConnecting(String template) throws Exception {
        try (ConnectionWatch watch = new ConnectionWatch()) {
            String document = template.formatted(watch.port());

            assertThat(refusalOf(document)).hasMessageContaining("DOCTYPE");
            assertThat(watch.connectionsSoFar()).isZero();
        }
    }

    /** Without this the test above would pass with a watch that sees nothing. */
    @Test
    void theConnectionWatchSeesAConnection() throws Exception {
        try (ConnectionWatch watch = new ConnectionWatch()) {
            new Socket(InetAddress.getLoopbackAddress(), watch.port()).close();

            assertThat(watch.connectionsSoFar()).isOne();
        }
    }

    /**
     * The explicit DTD refusal is the first line; the parser settings are the second. Read past the DTD with the
     * settings alone, an external entity must still be neither fetched nor read.
     */
    @Test
    void theParserSettingsAloneNeitherFetchNorReadExternalEntities(@TempDir Path dir) throws Exception {
        String secret = "secret-" + System.nanoTime();
        Path file = Files.writeString(dir.resolve("entity-target.txt"), secret);
        try (ConnectionWatch watch = new ConnectionWatch()) {
            String document = "<!DOCTYPE xml SYSTEM \"http://127.0.0.1:" + watch.port() + "/x.dtd\" ["
                    + "<!ENTITY remote SYSTEM \"http://127.0.0.1:" + watch.port() + "/x\">"
                    + "<!ENTITY local SYSTEM \"" + file.toUri() + "\">]>"
                    + "<xml><a>&remote;</a><b>&local;</b></xml>";
            StringBuilder everythingRead = new StringBuilder();

            Throwable thrown = catchThrowable(() -> readAllText(document, everythingRead));

            assertThat(everythingRead).doesNotContain(secret);
            if (thrown != null) {
                assertThat(messagesOf(thrown)).noneMatch(message -> message.contains(secret));
            }
            assertThat(watch.connectionsSoFar()).isZero();
        }
    }

    @Test
    void billionLaughsIsRefusedQuicklyAndWithoutExpanding() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
        for (int level = 1; level <= 10; level++) {
            dtd.append("<!ENTITY lol").append(level).append(" \"")
                    .append(("&lol" + (level - 1) + ";").repeat(10)).append("\">");
        }
        String document = dtd + "]><xml><a>&lol10;</a></xml>";
        long allocatedBefore = allocatedByThisThread();

        assertThat(refusalOf(document)).hasMessageContaining("DOCTYPE");
        // Fully expanded, &lol10; is 3 * 10^10 characters; refusing it should cost no more than parsing a small body.
        assertThat(allocatedByThisThread() - allocatedBefore).isLessThan(16L * 1024 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<!DOCTYPE xml><xml><a>1</a></xml>",
            "<!DOCTYPE xml []><xml><a>1</a></xml>",
            "<!DOCTYPE xml [<!ENTITY name \"harmless\">]><xml><a>&name;</a></xml>",
            "<!DOCTYPE xml [<!ELEMENT xml ANY>]><xml><a>1</a></xml>",
            "<!DOCTYPE xml [<!ATTLIST a id CDATA \"injected\">]><xml><a>1</a></xml>",
            "<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE xml><xml/>"})
    void anyDoctypeAtAllIsRefused(String document) {
        assertThat(refusalOf(document)).hasMessage("a DOCTYPE is not allowed");
    }

    /** The JDK parser prints "[Fatal Error]" lines to stderr for bad byte sequences; a sender must not reach them. */
    @Test
    void refusingABadBodyWritesNothingToStderr() throws Exception {
        byte[] cutInsideACharacter = Arrays.copyOf("<xml><a>红</a></xml>".getBytes(StandardCharsets.UTF_8), 10);
        byte[] badByteAfterDeclaration = "<?xml version=\"1.0\"?><xml><a>\u00FF</a></xml>"
                .getBytes(StandardCharsets.ISO_8859_1);
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThatThrownBy(() -> WxXml.parse(cutInsideACharacter)).isInstanceOf(WxXmlException.class);
            assertThatThrownBy(() -> WxXml.parse(badByteAfterDeclaration)).isInstanceOf(WxXmlException.class);
        } finally {
            System.setErr(stderr);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anUndeclaredEntityIsRefused() {
        assertThat(refusalOf("<xml><a>&e;</a></xml>")).hasMessage("entity references are not allowed");
    }

    private static void readAllText(String document, StringBuilder text) throws XMLStreamException {
        XMLStreamReader reader = WxXml.newInputFactory()
                .createXMLStreamReader(new StringReader(document));
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                    || event == XMLStreamConstants.DTD || event == XMLStreamConstants.ENTITY_REFERENCE) {
                text.append(reader.getText());
            }
        }
    }

    private static Throwable refusalOf(String document) {
        Throwable thrown = catchThrowable(() -> WxXml.parse(document.getBytes(StandardCharsets.UTF_8)));
        assertThat(thrown).isInstanceOf(WxXmlException.class);
        return thrown;
    }

    /** Every message and rendering along the cause chain: whatever a log line or an error response could show. */
    private static List<String> messagesOf(Throwable thrown) {
        return Stream.iterate(thrown, t -> t != null, Throwable::getCause)
                .flatMap(t -> Stream.of(String.valueOf(t.getMessage()), t.toString()))
                .toList();
    }

    private static long allocatedByThisThread() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getCurrentThreadAllocatedBytes();
    }
}
