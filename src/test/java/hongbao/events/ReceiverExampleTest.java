package hongbao.events;

import hongbao.store.events.EventType;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import hongbao.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** README's webhook receiver, as printed there: it takes the service's deliveries and refuses forged and replayed ones. */
class ReceiverExampleTest {
    private static final String SECRET = "whsec-readme-0123456789";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theReadmePrintsTheExampleAsTested() throws Exception {
        String source = Files.readString(Path.of(System.getProperty("basedir", "."), "src", "test", "java", "hongbao", "events",
                "ReceiverExample.java"));
        String printed = source.substring(source.indexOf("import "));
        assertThat(Files.readString(Path.of(System.getProperty("basedir", "."), "README.md"))).contains(printed);
    }

    @Test
    void itTakesTheServicesDeliveriesOnceAndRefusesForgedOrReplayedOnes() throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        HttpServer receiver = ReceiverExample.start(port, SECRET, handled::add);
        URI url = URI.create("http://127.0.0.1:" + port + "/hooks/hongbao");
        EventSettings events = EventSettings.DEFAULT.withWebhooks(List.of(url), SECRET, EnumSet.of(EventType.DEPOSIT));
        try (TestServer server = TestServer.start(TestServer.config(TestServer.freshDir()).withEvents(events))) {
            server.user("alice");
            server.deposit("alice", 500, "bank-readme");
            String body = handled.poll(20, TimeUnit.SECONDS);
            assertThat(body).contains("\"type\":\"deposit\"", "\"amount\":500");

            Instant now = Instant.now();
            String signedNow = WebhookSignature.header(SECRET, now, body);
            assertThat(post(url, body, signedNow, "evt_again")).isEqualTo(200);
            assertThat(post(url, body, signedNow, "evt_again")).isEqualTo(200);
            assertThat(handled.poll(5, TimeUnit.SECONDS)).isEqualTo(body);
            assertThat(post(url, body.replace("500", "50000"), signedNow, "evt_forged")).isEqualTo(401);
            assertThat(post(url, body, WebhookSignature.header("another-secret-0123", now, body), "evt_other_key")).isEqualTo(401);
            assertThat(post(url, body, WebhookSignature.header(SECRET, now.minus(Duration.ofMinutes(10)), body), "evt_old"))
                    .isEqualTo(401);
            assertThat(post(url, body, null, "evt_unsigned")).isEqualTo(401);
            assertThat(handled).isEmpty();
        } finally {
            receiver.stop(0);
        }
    }

    private int post(URI url, String body, String signature, String deliveryId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Hongbao-Delivery", deliveryId)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Hongbao-Signature", signature);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
