package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every answer carries a request id, the client's own when it sent a sane one; each request is logged once to
 * {@code hongbao.access}, and in JSON logs (the encoder of logback-json.xml) that is one line with its fields.
 */
class AccessLogTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final Logger accessLogger = (Logger) LoggerFactory.getLogger("hongbao.access");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level levelBefore;
    private TestServer server;

    @BeforeEach
    void start() {
        levelBefore = accessLogger.getLevel();
        accessLogger.setLevel(Level.INFO);
        logged.start();
        accessLogger.addAppender(logged);
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
        accessLogger.detachAppender(logged);
        accessLogger.setLevel(levelBefore);
    }

    @Test
    void theClientsRequestIdIsEchoedAndAnotherIsMadeUpWhenItSentNoneOrAnInsaneOne() throws Exception {
        assertThat(get("/health", Map.of("X-Request-Id", "nginx-4f2a9c01e7b3")).headers().firstValue("X-Request-Id"))
                .contains("nginx-4f2a9c01e7b3");

        String made = get("/health", Map.of()).headers().firstValue("X-Request-Id").orElseThrow();
        String madeAgain = get("/health", Map.of()).headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(made).matches(UUID).isNotEqualTo(madeAgain);

        String insane = "a b\u00e9" + "x".repeat(200);
        assertThat(get("/v1/nothing-here", Map.of("X-Request-Id", insane)).headers().firstValue("X-Request-Id"))
                .hasValueSatisfying(id -> assertThat(id).matches(UUID));
        assertThat(logged.list).as("one line per request").hasSize(4);
    }

    @Test
    void aMadeUpIdIsARandomVersion4Uuid() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = AccessLog.randomId();
            java.util.UUID parsed = java.util.UUID.fromString(id);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(id).matches(UUID);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void anOpenIsLoggedOnceAsOneJsonLineWithItsIdPacketOutcomeAndLatency() throws Exception {
        ApiClient alice = server.user("alice");
        ApiClient bob = server.user("bob");
        server.group("family", List.of("alice", "bob"));
        server.deposit("alice", 1_000, "dep-1");
        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":100,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        String bobsToken = server.admin.post("/v1/admin/users/bob/tokens", "{}").expectStatus(201).json().get("token").asText();
        logged.list.clear();

        HttpResponse<String> opened = post("/v1/packets/" + packet + "/open", bobsToken, "open-1");
        HttpResponse<String> again = post("/v1/packets/" + packet + "/open", bobsToken, "open-2");
        assertThat(opened.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(409);

        assertThat(logged.list).hasSize(2);
        JsonNode ok = jsonLine(logged.list.get(0));
        assertThat(ok.get("requestId").asText()).isEqualTo("open-1");
        assertThat(ok.get("method").asText()).isEqualTo("POST");
        assertThat(ok.get("path").asText()).isEqualTo("/v1/packets/" + packet + "/open");
        assertThat(ok.get("packetId").asText()).isEqualTo(packet);
        assertThat(ok.get("status").asInt()).isEqualTo(200);
        assertThat(ok.has("errorCode")).as("no error on success: %s", ok).isFalse();
        assertThat(ok.get("latencyMs").isNumber()).isTrue();
        assertThat(ok.get("latencyMs").asDouble()).isPositive();
        assertThat(ok.get("@timestamp").asText()).isNotEmpty();
        assertThat(ok.get("logger_name").asText()).isEqualTo("hongbao.access");

        JsonNode refused = jsonLine(logged.list.get(1));
        assertThat(refused.get("requestId").asText()).isEqualTo("open-2");
        assertThat(refused.get("status").asInt()).isEqualTo(409);
        assertThat(refused.get("errorCode").asText()).isEqualTo("ALREADY_CLAIMED");
        assertThat(bob.get("/v1/wallet").status()).isEqualTo(200);
    }

    /** The event as logback-json.xml's encoder writes it: exactly one line, one JSON object. */
    private static JsonNode jsonLine(ILoggingEvent event) throws Exception {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.setIncludeContext(false);
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        encoder.stop();
        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        return new ObjectMapper().readTree(line);
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String requestId) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + token).header("X-Request-Id", requestId).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
