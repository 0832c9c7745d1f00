package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.events.EventSettings;
import hongbao.testing.ApiClient;
import hongbao.testing.SseStream;
import hongbao.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node holds at most --max-event-streams streams (docs/events.md): one beyond them is refused before it starts, with
 * 503 UNAVAILABLE and a Retry-After, while the streams it holds and the catch-up read go on.
 */
class EventStreamLimitTest {
    private final TestServer server = TestServer.start(TestServer.config(TestServer.freshDir())
            .withEvents(EventSettings.DEFAULT.withMaxStreams(1)));

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        http.shutdownNow();
        server.close();
    }

    @Test
    void aStreamBeyondTheNodesBoundIsRefusedWithRetryAfterAndTheHeldOneGoesOn() throws Exception {
        ApiClient alice = server.user("alice");
        ApiClient bob = server.user("bob");
        server.group("pair", List.of("alice", "bob"));
        server.deposit("alice", 1_000, "bank-1");
        try (SseStream held = bob.eventStream(null)) {
            assertThat(held.status).isEqualTo(200);

            HttpResponse<InputStream> refused = openStream(alice.token());
            try (InputStream body = refused.body()) {
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).contains("10");
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains("\"UNAVAILABLE\"");
            }

            String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"pair\",\"total\":100,\"count\":1}")
                    .expectStatus(201).json().get("id").asText();
            assertThat(held.await(frame -> "packet.sent".equals(frame.type())).data().get("packetId").asText())
                    .isEqualTo(packet);
            assertThat(alice.get("/v1/events").expectStatus(200).json().get("items")).isNotEmpty();
        }
    }

    /** Answers once the headers are in, so that a stream wrongly let through fails the test instead of hanging it. */
    private HttpResponse<InputStream> openStream(String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/events/stream"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
