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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the web UI needs from the server, through real HTTP: the page itself, dev login, groups, config, summary. One
 * server (dev login on) for the class, so every test uses its own ids; the switched-off case has its own server.
 */
class WebUiEndpointsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withDevLogin(true));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ApiClient anonymous() {
        return anonymous(server);
    }

    private static ApiClient anonymous(TestServer on) {
        return new ApiClient(on.baseUrl(), null);
    }

    @Test
    void devLoginListsUsersAndIssuesAUserTokenThatWorks() {
        server.admin.post("/v1/admin/users", "{\"userId\":\"dl-bob\",\"name\":\"Bob\"}").expectStatus(201);
        server.admin.post("/v1/admin/users", "{\"userId\":\"dl-alice\",\"name\":\"Alice\"}").expectStatus(201);

        JsonNode users = anonymous().get("/v1/dev/users?limit=1000").expectStatus(200).json().get("items");
        List<String> ids = new java.util.ArrayList<>();
        users.forEach(u -> ids.add(u.get("userId").asText()));
        assertThat(ids).isSorted().containsSubsequence("dl-alice", "dl-bob");
        assertThat(users.get(ids.indexOf("dl-alice")).get("name").asText()).isEqualTo("Alice");
        assertThat(anonymous().get("/v1/dev/users?limit=1").expectStatus(200).json().get("items")).hasSize(1);
        assertThat(anonymous().get("/v1/dev/users?limit=0").expectStatus(400).errorCode()).isEqualTo("LIMIT_EXCEEDED");

        JsonNode login = anonymous().post("/v1/dev/login", "{\"userId\":\"dl-bob\"}").expectStatus(201).json();
        assertThat(login.get("userId").asText()).isEqualTo("dl-bob");
        assertThat(login.get("name").asText()).isEqualTo("Bob");
        assertThat(login.get("expiresAt").asText()).isNotBlank();
        ApiClient bob = new ApiClient(server.baseUrl(), login.get("token").asText());
        assertThat(bob.get("/v1/wallet").expectStatus(200).json().get("userId").asText()).isEqualTo("dl-bob");
        // a user token, not an admin key
        assertThat(bob.get("/v1/admin/audit").expectStatus(401).errorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void devLoginRefusesWhatAProxyForwardsAndOffersItNoDevLogin() {
        server.admin.post("/v1/admin/users", "{\"userId\":\"dl-fwd\",\"name\":\"F\"}").expectStatus(201);
        for (Map.Entry<String, String> forwarding : Map.of("X-Forwarded-For", "203.0.113.7",
                "Forwarded", "for=203.0.113.7", "X-Real-IP", "203.0.113.7").entrySet()) {
            Map<String, String> header = Map.of(forwarding.getKey(), forwarding.getValue());
            assertThat(anonymous().post("/v1/dev/login", "{\"userId\":\"dl-fwd\"}", header).expectStatus(403).errorCode())
                    .isEqualTo("FORBIDDEN");
            assertThat(anonymous().send("GET", "/v1/dev/users", null, header).expectStatus(403).errorCode())
                    .isEqualTo("FORBIDDEN");
            assertThat(anonymous().send("GET", "/v1/config", null, header).expectStatus(200).json().get("devLogin")
                    .asBoolean()).isFalse();
        }
    }

    @Test
    void onlyLoopbackPeersThatNoProxyForwardedAreOnThisMachine() throws Exception {
        InetAddress elsewhere = InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7});
        assertThat(Exchange.directFromThisMachine(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000), false))
                .isTrue();
        assertThat(Exchange.directFromThisMachine(new InetSocketAddress(InetAddress.getByName("::1"), 5000), false))
                .isTrue();
        assertThat(Exchange.directFromThisMachine(new InetSocketAddress(InetAddress.getLoopbackAddress(), 5000), true))
                .isFalse();
        assertThat(Exchange.directFromThisMachine(new InetSocketAddress(elsewhere, 5000), false)).isFalse();
        assertThat(Exchange.directFromThisMachine(InetSocketAddress.createUnresolved("localhost", 5000), false))
                .isFalse();
    }

    @Test
    void devLoginNeitherListsNorOpensAMerchantsWallet() {
        server.admin.post("/v1/admin/users", "{\"userId\":\"mch.dl1\",\"name\":\"Shop\"}").expectStatus(201);

        JsonNode users = anonymous().get("/v1/dev/users?limit=1000").expectStatus(200).json().get("items");
        users.forEach(user -> assertThat(user.get("userId").asText()).doesNotStartWith("mch."));
        assertThat(anonymous().post("/v1/dev/login", "{\"userId\":\"mch.dl1\"}").expectStatus(403).errorCode())
                .isEqualTo("FORBIDDEN");
    }

    @Test
    void devLoginRefusesBadInputWithTypedErrors() {
        assertThat(anonymous().post("/v1/dev/login", "{\"userId\":\"nobody\"}").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(anonymous().post("/v1/dev/login", "{\"userId\":\"a b\"}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(anonymous().post("/v1/dev/login", "{\"user\":\"x\"}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(anonymous().post("/v1/dev/login", "").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(anonymous().post("/v1/dev/login", "{}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void switchedOffDevLoginAnswersNotFoundAndTheConfigSaysSo() {
        try (TestServer off = TestServer.start(TestServer.config(TestServer.freshDir()).withDevLogin(false))) {
            off.user("alice");
            ApiClient anonymous = anonymous(off);
            assertThat(anonymous.post("/v1/dev/login", "{\"userId\":\"alice\"}").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
            assertThat(anonymous.get("/v1/dev/users").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
            assertThat(anonymous.get("/v1/config").expectStatus(200).json().get("devLogin").asBoolean()).isFalse();
        }
    }

    @Test
    void configTellsTheLimitsAndThePacketLifetime() {
        JsonNode config = anonymous().get("/v1/config").expectStatus(200).json();
        assertThat(config.get("devLogin").asBoolean()).isTrue();
        assertThat(config.get("packetTtlSeconds").asLong()).isEqualTo(86_400);
        assertThat(config.get("limits").get("maxCount").asInt()).isEqualTo(100);
        assertThat(config.get("limits").get("minShare").asLong()).isEqualTo(1);
        assertThat(config.get("limits").get("maxShare").asLong()).isEqualTo(20_000);
        assertThat(config.get("limits").get("maxGreeting").asInt()).isEqualTo(64);
    }

    @Test
    void aUserSeesTheirGroupsWithTheMembersNames() {
        ApiClient alice = server.user("g-alice");
        server.user("g-bob");
        ApiClient dave = server.user("g-dave");
        server.group("g-family", List.of("g-alice", "g-bob"));
        server.group("g-work", List.of("g-bob", "g-dave"));

        JsonNode groups = alice.get("/v1/groups").expectStatus(200).json().get("items");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).get("groupId").asText()).isEqualTo("g-family");
        assertThat(groups.get(0).get("members")).extracting(m -> m.get("userId").asText()).containsExactly("g-alice", "g-bob");
        assertThat(groups.get(0).get("members").get(1).get("name").asText()).isEqualTo("g-bob");
        assertThat(dave.get("/v1/groups").expectStatus(200).json().get("items")).hasSize(1);
        assertThat(anonymous().get("/v1/groups").expectStatus(401).errorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void theOperatorSummaryCountsOpensAndRemembersExpiryRefunds() {
        ApiClient alice = server.user("s-alice");
        ApiClient bob = server.user("s-bob");
        server.user("s-carol");
        server.group("s-family", List.of("s-alice", "s-bob", "s-carol"));
        server.deposit("s-alice", 10_000, "bank-s");
        JsonNode before = server.admin.get("/v1/admin/summary").expectStatus(200).json();
        String id = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"s-family\",\"total\":3000,\"count\":3}")
                .expectStatus(201).json().get("id").asText();
        bob.post("/v1/packets/" + id + "/open", null).expectStatus(200);
        bob.post("/v1/packets/" + id + "/open", null).expectStatus(409);

        assertThat(alice.get("/v1/admin/summary").expectStatus(401).errorCode()).isEqualTo("UNAUTHENTICATED");
        JsonNode summary = server.admin.get("/v1/admin/summary").expectStatus(200).json();
        assertThat(summary.get("opens").get("ok").asLong() - before.path("opens").path("ok").asLong()).isEqualTo(1);
        assertThat(summary.get("sends").get("ok").asLong() - before.path("sends").path("ok").asLong()).isEqualTo(1);
        assertThat(summary.get("queueDepth").get("total").asLong()).isZero();
        assertThat(summary.get("journalBacklog").get("sets").size()).as("a backlog per SET").isEqualTo(server.app.layout().sets());
        assertThat(summary.get("batchSize").get("count").asLong()).isGreaterThan(before.get("batchSize").get("count").asLong());
        assertThat(summary.get("commitLatencyMs").get("count").asLong()).isPositive();

        server.clock.advance(Duration.ofHours(25));
        assertThat(server.app.expiryJob().runOnce()).isEqualTo(1);
        JsonNode refund = server.admin.get("/v1/admin/summary").expectStatus(200).json().get("recentRefunds").get(0);
        assertThat(refund.get("packetId").asText()).isEqualTo(id);
        assertThat(refund.get("senderId").asText()).isEqualTo("s-alice");
        assertThat(refund.get("groupId").asText()).isEqualTo("s-family");
        assertThat(refund.get("amount").asLong()).isEqualTo(2000);
    }

    @Test
    void thePageIsServedAtTheRootAndUnknownPathsStayJsonErrors() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>");
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/js/money.js")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));

        assertThat(anonymous().get("/no/such/file.js").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(anonymous().get("/v1/nothing").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(anonymous().post("/", "{}").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
    }
}
