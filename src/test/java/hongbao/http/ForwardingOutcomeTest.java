package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.domain.SetLayout;
import hongbao.cluster.Ownership;
import hongbao.testing.ApiClient;
import hongbao.testing.HoldingProxy;
import hongbao.testing.TestServer;
import hongbao.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two cluster nodes in this JVM over two PostgreSQL SETs: node A owns SET 0, node B owns SET 1 and is reached only
 * through a loopback proxy that can hold the bytes sent to B. A request to A for SET 1 is passed on through it. When
 * B's answer does not come within A's forwarding timeout, A must not say "nothing applied" (503): B applies the
 * request once the bytes arrive.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForwardingOutcomeTest {
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(2);
    private static final SetLayout LAYOUT = new SetLayout(64, 2);

    private HoldingProxy toB;
    private TestServer a;
    private TestServer b;
    private int users;
    private ApiClient sender;
    private ApiClient receiver;
    private String senderToken;
    private ApiClient senderAtB;
    private String receiverId;

    /** The two nodes, started once: each test has users of its own. */
    @BeforeAll
    void twoNodes() throws IOException {
        assumeTrue(TestStores.postgres(), "a cluster's SETs are PostgreSQL databases: runs with the PostgreSQL execution");
        String store = TestStores.freshPostgresUrl() + "," + TestStores.freshPostgresUrl();
        toB = new HoldingProxy();
        int portOfA = freePort();
        a = TestServer.start(node(store, portOfA, 0, "http://127.0.0.1:" + portOfA));
        b = TestServer.start(node(store, 0, 1, "http://127.0.0.1:" + toB.port()));
        toB.target(b.app.port());
    }

    /** A sender and a receiver of SET 1, set up through A: their wallets' requests are passed on to B. */
    @BeforeEach
    void usersOfSetOne() {
        toB.release();
        users++;
        String senderId = userOfSet(1, "sender" + users + "-");
        receiverId = userOfSet(1, "receiver" + users + "-");
        sender = a.user(senderId);
        receiver = a.user(receiverId);
        senderToken = a.admin.post("/v1/admin/users/" + senderId + "/tokens", "{}").expectStatus(201).json().get("token").asText();
        senderAtB = new ApiClient(b.baseUrl(), senderToken);
        a.deposit(senderId, 10_000, "dep-" + senderId);
    }

    @AfterAll
    void stop() throws IOException {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (toB != null) {
            toB.close();
        }
    }

    @Test
    void aSendWhoseOwnerAnswersTooLateIsOutcomeUnknownAndItsRetryWithTheKeyGetsTheFirstAnswer() {
        Map<String, String> key = Map.of("Idempotency-Key", "send-once");
        String send = "{\"kind\":\"PERSONAL\",\"toUserId\":\"" + receiverId + "\",\"total\":500,\"count\":1}";
        toB.hold();
        ApiClient.Response lost = sender.post("/v1/packets", send, key);
        assertThat(lost.status()).as("B's answer never came within the timeout\n%s", lost.body()).isEqualTo(504);
        assertThat(lost.errorCode()).isEqualTo("OUTCOME_UNKNOWN");
        toB.release();

        // B applies the send once its bytes arrive: the 503 of before ("nothing was applied") was a lie.
        await(() -> senderAtB.get("/v1/wallet").expectOk().json().get("balance").asLong() == 9_500, "B debits the send");
        JsonNode first = sender.post("/v1/packets", send, key).expectStatus(201).json();
        JsonNode again = sender.post("/v1/packets", send, key).expectStatus(201).json();
        assertThat(again).as("the key returns the first answer").isEqualTo(first);
        assertThat(senderAtB.get("/v1/wallet").expectOk().json().get("balance").asLong()).as("debited once").isEqualTo(9_500);
        assertThat(sender.get("/v1/packets?role=sent").expectOk().json().get("items")).hasSize(1);
    }

    @Test
    void anOpenWhoseOwnerAnswersTooLateIsOutcomeUnknownAndItsRetryWithTheKeyGetsTheShare() {
        String packetId = sender.post("/v1/packets", "{\"kind\":\"PERSONAL\",\"toUserId\":\"" + receiverId
                + "\",\"total\":300,\"count\":1}").expectStatus(201).json().get("id").asText();
        assertThat(LAYOUT.setOfPacket(Long.parseLong(packetId))).isEqualTo(1);
        Map<String, String> key = Map.of("Idempotency-Key", "open-once");
        toB.hold();
        ApiClient.Response lost = receiver.post("/v1/packets/" + packetId + "/open", "", key);
        assertThat(lost.status()).as("B's answer never came within the timeout\n%s", lost.body()).isEqualTo(504);
        assertThat(lost.errorCode()).isEqualTo("OUTCOME_UNKNOWN");
        toB.release();

        await(() -> receiver.get("/v1/packets/" + packetId).expectOk().json().get("openedCount").asInt() == 1,
                "B takes the share");
        JsonNode share = receiver.post("/v1/packets/" + packetId + "/open", "", key).expectOk().json();
        assertThat(share.get("amount").asLong()).isEqualTo(300);
        assertThat(share.get("seq").asInt()).isEqualTo(1);
    }

    @Test
    void aReadWhoseOwnerAnswersTooLateIsStillUnavailable() {
        toB.hold();
        ApiClient.Response late = sender.get("/v1/wallet");
        toB.release();
        assertThat(late.status()).as("a read applies nothing: retry\n%s", late.body()).isEqualTo(503);
        assertThat(late.errorCode()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void theRequestIdANodeMadeUpIsPassedOnToTheOwner() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(a.baseUrl() + "/v1/wallet"))
                .header("Authorization", "Bearer " + senderToken).header("X-Request-Id", "not a sane id!")
                .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).isNotEqualTo("not a sane id!");
        assertThat(toB.sent()).as("what A sent B").containsIgnoringCase("X-Request-Id: " + id + "\r\n")
                .doesNotContain("not a sane id!");
    }

    @Test
    void aHeaderValueOutsideAsciiDoesNotBreakPassingTheRequestOn() throws IOException {
        String request = "GET /v1/wallet HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + senderToken
                + "\r\nX-Greeting: 恭喜发财\r\nConnection: close\r\n\r\n";
        String answer = rawExchange(a.app.port(), request.getBytes(StandardCharsets.UTF_8));
        assertThat(answer).as("A's answer").startsWith("HTTP/1.1 200").contains("\"balance\":10000");
    }

    private static String rawExchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static hongbao.wiring.ServeConfig node(String store, int port, int set, String url) {
        return TestServer.config(TestServer.freshDir()).withStore(store).withPort(port)
                .withOwnership(new Ownership(Set.of(set), url, Ownership.DEFAULT_LEASE, false, FORWARD_TIMEOUT));
    }

    private static String userOfSet(int set, String prefix) {
        return IntStream.range(0, 100).mapToObj(i -> prefix + i).filter(id -> LAYOUT.setOfUser(id) == set)
                .findFirst().orElseThrow();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Polls until B has done it: B finishes the held request in its own time, after A stopped waiting. */
    private static void await(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }
}
