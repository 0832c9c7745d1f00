package hongbao.logging;

import hongbao.cli.LogFormat;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Client-supplied text cannot forge a log line: an unauthenticated payment notification whose out_trade_no holds a
 * newline and a made-up line, logged in the text format (logback.xml, as the service runs), stays on one line with the
 * newline escaped; values are cut; exception messages are neutralised too; the JSON format cuts values.
 */
class LogInjectionTest {
    private static final String FORGED = "P1\n12:00:00.000 INFO  [main] h.app.PaymentService - payment P1 of 100 fen"
            + " arrived\u2028\r";

    private static String text(ILoggingEvent event) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("STDERR")).getEncoder();
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void aNewlineInAnUnauthenticatedNotificationStaysInsideItsLogLine() throws Exception {
        Logger payments = (Logger) LoggerFactory.getLogger("hongbao.http.PaymentEndpoints");
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        payments.addAppender(captured);
        try (TestServer server = TestServer.start()) {
            String body = "<xml><out_trade_no><![CDATA[" + FORGED + "]]></out_trade_no><total_fee>100</total_fee>"
                    + "<return_code>SUCCESS</return_code><result_code>SUCCESS</result_code><sign>FORGED</sign></xml>";
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.baseUrl() + "/v1/payments/notify")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(401);
        } finally {
            payments.detachAppender(captured);
        }

        String line = text(captured.list.stream().filter(e -> e.getFormattedMessage().contains("bad signature"))
                .findFirst().orElseThrow());

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n", "\r", "\u2028")
                // XML reads a CR as a LF
                .contains("for P1\\n12:00:00.000 INFO  [main] h.app.PaymentService - payment P1 of 100 fen arrived\\u2028\\n");
    }

    @Test
    void aLoggedValueIsCutAndAnExceptionsMessageNeutralised() {
        Logger logger = (Logger) LoggerFactory.getLogger(LogInjectionTest.class);
        String value = "x".repeat(10_000);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "refused {}",
                new IllegalArgumentException("bad id " + FORGED), new Object[] {value});

        String text = text(event);

        assertThat(text.lines().findFirst().orElseThrow())
                .contains("refused " + "x".repeat(LogValues.VALUE_MAX_CHARS) + "…(" + (10_000 - LogValues.VALUE_MAX_CHARS)
                        + " more chars)");
        assertThat(text).contains("IllegalArgumentException: bad id P1\\n12:00:00.000 INFO")
                .doesNotContain("\n12:00:00.000");
        assertThat(text.lines().skip(2)).as("the stack's frames").allSatisfy(line -> assertThat(line).startsWith("\t"));
    }

    @Test
    void controlCharactersAndLineSeparatorsAreEscaped() {
        assertThat(LogValues.neutralised("a\u0000b\u001bc\u007fd\u0085e\u2029f\u202eg\u2066h 红包", 100))
                .isEqualTo("a\\u0000b\\u001bc\\u007fd\\u0085e\\u2029f\\u202eg\\u2066h 红包");
        assertThat(LogValues.neutralised(null, 10)).isEqualTo("null");
        assertThat(LogValues.neutralised("\n".repeat(10), 5)).isEqualTo("\\n\\n\\n…(7 more chars)");
    }

    @Test
    void theJsonFormatCutsItsValues() throws Exception {
        LoggerContext json = new LoggerContext();
        json.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(json);
        configurator.doConfigure(LogFormat.class.getResource("/logback-json.xml"));
        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) json.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("STDERR_JSON")).getEncoder();
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), json.getLogger("hongbao.http.PaymentEndpoints"),
                Level.WARN, "payment notification with a bad signature for {}", null,
                new Object[] {FORGED + "y".repeat(10_000)});

        List<String> lines = new String(encoder.encode(event), StandardCharsets.UTF_8).lines().toList();
        json.stop();

        assertThat(lines).hasSize(1);
        JsonNode logged = new ObjectMapper().readTree(lines.get(0));
        assertThat(logged.get("message").asText()).hasSizeLessThan(LogValues.MESSAGE_MAX_CHARS + 30)
                .contains("for P1\\n12:00:00.000").contains("\\u2028").endsWith(" more chars)");
    }
}
