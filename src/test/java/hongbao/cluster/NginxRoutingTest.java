package hongbao.cluster;


import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import hongbao.domain.PacketIds;
import hongbao.domain.SetLayout;
import hongbao.testing.Required;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated configuration in Debian's nginx, in front of three stub nodes that answer with their number: nginx
 * accepts it, reads the shard from ids of any length, sends a dead owner's requests to a live node, and never
 * replays a POST that a node received. Skipped when nginx is not installed (.ci/run installs it).
 */
class NginxRoutingTest {
    private static final Path NGINX = Path.of(System.getenv().getOrDefault("HONGBAO_TEST_NGINX", "/usr/sbin/nginx"));
    private static final SetLayout LAYOUT = new SetLayout(64, 3);
    private static final Instant T = Instant.parse("2026-12-02T18:00:00.001Z");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path prefix;

    private final List<StubNode> nodes = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Process nginx;
    private int listenPort;

    /** A node that answers "node N METHOD URI" and remembers what it got; a dropping node closes without answering. */
    private static final class StubNode {
        final int number;
        final HttpServer server;
        final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        volatile boolean dropping;

        StubNode(int number) throws IOException {
            this.number = number;
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        String address() {
            return "127.0.0.1:" + server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            String request = exchange.getRequestMethod() + " " + exchange.getRequestURI();
            received.add(request);
            if (dropping) {
                exchange.close();
                return;
            }
            byte[] body = ("node " + number + " " + request + " host=" + exchange.getRequestHeaders().getFirst("Host")
                    + " xff=" + exchange.getRequestHeaders().getFirst("X-Forwarded-For")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }

    @BeforeEach
    void startNodesAndNginx() throws Exception {
        Required.tool(Files.isExecutable(NGINX), "no nginx at " + NGINX + ", so the routing test is skipped "
                + "(apt-get install nginx; .ci/run does; HONGBAO_TEST_NGINX names another binary)");
        for (int number = 0; number < 3; number++) {
            nodes.add(new StubNode(number));
        }
        try (ServerSocket free = new ServerSocket(0)) {
            listenPort = free.getLocalPort();
        }
        String config = NginxConfig.of(LAYOUT, nodes.stream().map(StubNode::address).toList(), Map.of(),
                "127.0.0.1:" + listenPort).render();
        Files.writeString(prefix.resolve("nginx.conf"), config);
        // Started as root (as CI is), nginx's workers run as nobody and need to reach their temporary directories.
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));

        Process check = new ProcessBuilder(NGINX.toString(), "-t", "-p", prefix.toString(), "-c", "nginx.conf")
                .redirectErrorStream(true).start();
        String checkOutput = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor()).as(checkOutput).isZero();
        assertThat(checkOutput).contains("test is successful").doesNotContain("[warn]", "[emerg]");

        nginx = new ProcessBuilder(NGINX.toString(), "-p", prefix.toString(), "-c", "nginx.conf", "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        awaitListening();
    }

    /** nginx opens its port before it writes its pid file, so it is ready once a connection succeeds. */
    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", listenPort)) {
                return;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("nginx did not start: " + Files.readString(prefix.resolve("nginx.out"))
                            + (Files.exists(prefix.resolve("error.log")) ? Files.readString(prefix.resolve("error.log")) : ""), notYet);
                }
                Thread.sleep(20);
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            assertThat(nginx.waitFor(10, TimeUnit.SECONDS)).as("nginx stopped on SIGTERM").isTrue();
        }
        nodes.forEach(node -> node.server.stop(0));
    }

    /** A packet id as the generator makes them now: on this shard, ending in the shard's two digits. */
    private static long hintedId(int shard, int sequence) {
        long plain = PacketIds.compose(T, shard, sequence * 100);
        long id = plain + Math.floorMod(shard - plain, 100);
        assertThat(PacketIds.hasRoutingHint(id)).isTrue();
        return id;
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listenPort + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String answerTo(String method, String path) throws Exception {
        HttpResponse<String> response = send(method, path);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    @Test
    void everyShardsPacketsGoToTheOwnerOfItsSet() throws Exception {
        for (int shard = 0; shard < LAYOUT.shards(); shard++) {
            long id = hintedId(shard, shard);
            String owner = "node " + LAYOUT.setOfShard(shard) + " ";

            assertThat(answerTo("GET", "/v1/packets/" + id)).startsWith(owner + "GET /v1/packets/" + id + " ");
            assertThat(answerTo("POST", "/v1/packets/" + id + "/open?view=full"))
                    .startsWith(owner + "POST /v1/packets/" + id + "/open?view=full ");
        }
    }

    @Test
    void theHintIsTheLastTwoDigitsWhateverTheIdsLength() throws Exception {
        assertThat(answerTo("GET", "/v1/packets/02")).startsWith("node 2 ");
        assertThat(answerTo("GET", "/v1/packets/9223372036854775801")).startsWith("node 1 ");
        assertThat(answerTo("POST", "/v1/packets/123456789012345678901234503/grab")).startsWith("node 0 ");
    }

    @Test
    void requestsWithoutAHintReachEveryNodeInTurn() throws Exception {
        List<String> paths = List.of("/v1/wallet", "/v1/packets", "/v1/packets/7", "/v1/packets/12399", "/health");
        List<String> answeredBy = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String path : paths) {
                answeredBy.add(answerTo("GET", path).substring(0, "node N".length()));
            }
        }

        assertThat(answeredBy).contains("node 0", "node 1", "node 2");
    }

    @Test
    void theNodeSeesTheClientsHostAndAddress() throws Exception {
        assertThat(answerTo("GET", "/v1/wallet")).endsWith(" host=127.0.0.1:" + listenPort + " xff=127.0.0.1");
    }

    @Test
    void aDeadOwnersPacketsAreAnsweredByAnotherNode() throws Exception {
        nodes.get(1).server.stop(0);
        long id = hintedId(4, 9);

        for (int i = 0; i < 6; i++) {
            assertThat(answerTo("GET", "/v1/packets/" + id)).matches("node [02] GET .*");
            assertThat(answerTo("POST", "/v1/packets/" + id + "/open")).matches("node [02] POST .*");
        }
    }

    @Test
    void aPostTheOwnerReceivedIsNeverSentToAnotherNode() throws Exception {
        StubNode owner = nodes.get(1);
        owner.dropping = true;
        long id = hintedId(1, 3);

        HttpResponse<String> open = send("POST", "/v1/packets/" + id + "/open");

        assertThat(open.statusCode()).isEqualTo(502);
        assertThat(owner.received).containsExactly("POST /v1/packets/" + id + "/open");
        assertThat(nodes.get(0).received).isEmpty();
        assertThat(nodes.get(2).received).isEmpty();

        // A GET is safe to repeat, so the same failure sends it on to a backup.
        assertThat(answerTo("GET", "/v1/packets/" + id)).matches("node [02] GET .*");
    }
}
