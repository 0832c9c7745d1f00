package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every open answered is counted by its outcome, refusals included, wherever they are decided (the checks before the
 * engine, admission control, the shard worker): in /metrics and in the operator summary, which also says when the
 * service has been idle for a minute.
 */
class OpenOutcomesTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(TestServer.config(TestServer.freshDir()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void refusedOpensAreCountedByOutcomeInMetricsAndTheSummary() throws Exception {
        JsonNode idle = server.admin.get("/v1/admin/summary").expectStatus(200).json();
        assertThat(idle.get("opens").isEmpty()).as("no opens yet: %s", idle).isTrue();
        assertThat(idle.get("lastOpenAt").isNull()).isTrue();
        assertThat(idle.get("openedLastMinute").asBoolean()).isFalse();

        ApiClient alice = server.user("alice");
        ApiClient bob = server.user("bob");
        ApiClient carol = server.user("carol");
        ApiClient dave = server.user("dave");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "dep-1");
        String one = send(alice, 1);
        String later = send(alice, 2);

        bob.post("/v1/packets/" + one + "/open", null).expectStatus(200);
        assertThat(bob.post("/v1/packets/" + one + "/open", null).expectStatus(409).errorCode()).isEqualTo("ALREADY_CLAIMED");
        assertThat(carol.post("/v1/packets/" + one + "/open", null).expectStatus(409).errorCode()).isEqualTo("SNATCHED_OUT");
        assertThat(dave.post("/v1/packets/" + later + "/open", null).expectStatus(403).errorCode()).isEqualTo("FORBIDDEN");
        server.clock.advance(Duration.ofHours(25));
        assertThat(carol.post("/v1/packets/" + later + "/open", null).expectStatus(409).errorCode()).isEqualTo("EXPIRED");

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(opensTotal(metrics, "ok")).isEqualTo(1);
        assertThat(opensTotal(metrics, "already_claimed")).isEqualTo(1);
        assertThat(opensTotal(metrics, "snatched_out")).isEqualTo(1);
        assertThat(opensTotal(metrics, "forbidden")).isEqualTo(1);
        assertThat(opensTotal(metrics, "expired")).isEqualTo(1);

        JsonNode summary = server.admin.get("/v1/admin/summary").expectStatus(200).json();
        assertThat(summary.get("opens").properties()).extracting(e -> e.getKey() + "=" + e.getValue().asLong())
                .containsExactlyInAnyOrder("ok=1", "already_claimed=1", "snatched_out=1", "forbidden=1", "expired=1");
        assertThat(summary.get("openedLastMinute").asBoolean()).isTrue();
        assertThat(java.time.Instant.parse(summary.get("lastOpenAt").asText()))
                .isBetween(server.clock.instant().minusMillis(1), server.clock.instant());
        assertThat(metrics).contains("hongbao_last_open_timestamp_seconds");

        server.clock.advance(Duration.ofSeconds(61));
        JsonNode quiet = server.admin.get("/v1/admin/summary").expectStatus(200).json();
        assertThat(quiet.get("openedLastMinute").asBoolean()).as("idle for a minute: %s", quiet).isFalse();
        assertThat(quiet.get("opens").get("ok").asLong()).isEqualTo(1);
    }

    private static String send(ApiClient sender, int count) {
        return sender.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":" + 100 * count
                + ",\"count\":" + count + "}").expectStatus(201).json().get("id").asText();
    }

    private static long opensTotal(String metrics, String outcome) {
        Matcher line = Pattern.compile("(?m)^hongbao_opens_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$")
                .matcher(metrics);
        assertThat(line.find()).as("hongbao_opens_total for %s in\n%s", outcome, metrics).isTrue();
        return (long) Double.parseDouble(line.group(1));
    }
}
