package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.HongbaoProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HONGBAO_LOG_FORMAT=json} on the real jar: the service logs JSON lines, a request's among them, with the id
 * the client sent; no line in the text format is left.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class JsonLogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "json-logs-it-admin-key";

    @TempDir
    Path dataDir;

    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    @Test
    void aRequestIsOneJsonLineWithTheClientsRequestId() throws Exception {
        HongbaoProcess server = new HongbaoProcess.Launcher(dataDir, hongbao.testing.TestStores.freshStoreSpec(), ADMIN_KEY,
                List.of()).withEnv(Map.of("HONGBAO_LOG_FORMAT", "json")).serve("json", started);

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.baseUrl + "/v1/packets/4242/open")).POST(HttpRequest.BodyPublishers.noBody())
                .header("X-Request-Id", "proxy-7d3e").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("X-Request-Id")).contains("proxy-7d3e");

        JsonNode line = JSON.readTree(server.awaitLine(text -> text.contains("proxy-7d3e"), Duration.ofSeconds(10)));
        assertThat(line.get("logger_name").asText()).isEqualTo("hongbao.access");
        assertThat(line.get("requestId").asText()).isEqualTo("proxy-7d3e");
        assertThat(line.get("method").asText()).isEqualTo("POST");
        assertThat(line.get("packetId").asText()).isEqualTo("4242");
        assertThat(line.get("status").asInt()).isEqualTo(401);
        assertThat(line.get("errorCode").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(line.get("latencyMs").isNumber()).isTrue();

        String startLog = server.awaitLine(text -> text.contains("\"logger_name\":\"hongbao."), Duration.ofSeconds(1));
        assertThat(JSON.readTree(startLog).get("level").asText()).isNotEmpty();
        assertThat(server.logTail().lines().filter(text -> text.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")))
                .as("text log lines").isEmpty();
    }
}
