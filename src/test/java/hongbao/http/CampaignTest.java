package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One-win-per-user campaigns over HTTP: terms, the time window, at most one win per user (also when one user enters
 * from many threads at once), a budget that stops exactly, and the dispatcher paying each win with one packet.
 */
class CampaignTest {
    private static final String MCH = MerchantApiTest.MCH;
    private static final String CAMPAIGNS = "/v1/admin/merchants/" + MCH + "/campaigns";

    private TestServer server;
    private ApiClient admin;
    private Instant now;

    @BeforeEach
    void start() {
        server = TestServer.start();
        admin = server.admin;
        server.merchant(MCH, MerchantApiTest.APP, MerchantApiTest.KEY, SignType.MD5);
        StringBuilder users = new StringBuilder();
        StringBuilder bindings = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            users.append(i == 0 ? "" : ",").append("{\"userId\":\"u").append(i).append("\",\"name\":\"u").append(i).append("\"}");
            bindings.append(i == 0 ? "" : ",").append("{\"openid\":\"o").append(i).append("\",\"userId\":\"u").append(i)
                    .append("\"}");
        }
        admin.post("/v1/admin/user-batches", "{\"users\":[" + users + "]}").expectStatus(200);
        admin.post("/v1/admin/merchants/" + MCH + "/openid-batches", "{\"bindings\":[" + bindings + "]}").expectStatus(200);
        now = server.clock.instant();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String campaign(String id, long budget, long min, long max, Instant starts, Instant ends) {
        return "{\"campaignId\":\"" + id + "\",\"name\":\"Spring\",\"wishing\":\"新春快乐\",\"budget\":" + budget
                + ",\"amountMin\":" + min + ",\"amountMax\":" + max + ",\"startsAt\":\"" + starts + "\",\"endsAt\":\"" + ends + "\"}";
    }

    private JsonNode enter(String id, String... openids) {
        return admin.post(CAMPAIGNS + "/" + id + "/entries", "{\"openids\":[\"" + String.join("\",\"", openids) + "\"]}")
                .expectStatus(200).json().get("entries");
    }

    private JsonNode status(String id) {
        return admin.get(CAMPAIGNS + "/" + id).expectStatus(200).json();
    }

    @Test
    void termsAreCheckedAndACampaignIsCreatedOnce() {
        Instant ends = now.plusSeconds(3600);
        String spring = campaign("spring", 1_000, 100, 100, now, ends);

        JsonNode created = admin.post(CAMPAIGNS, spring).expectStatus(201).json();
        assertThat(created.get("state").asText()).isEqualTo("OPEN");
        assertThat(created.get("remaining").asLong()).isEqualTo(1_000);
        admin.post(CAMPAIGNS, spring).expectStatus(200);
        assertThat(admin.post(CAMPAIGNS, spring.replace("Spring", "Autumn")).expectStatus(409).errorCode())
                .isEqualTo("ALREADY_EXISTS");
        assertThat(admin.post(CAMPAIGNS, campaign("odd", 1_050, 100, 100, now, ends)).expectStatus(400).errorCode())
                .as("1050 fen cannot be paid in wins of 100").isEqualTo("INVALID_REQUEST");
        assertThat(admin.post(CAMPAIGNS, campaign("gap", 250, 100, 120, now, ends)).expectStatus(400).errorCode())
                .as("250 fen cannot be paid in wins of 100-120").isEqualTo("INVALID_REQUEST");
        assertThat(admin.post(CAMPAIGNS, campaign("cheap", 1_000, 50, 100, now, ends)).expectStatus(400).errorCode())
                .isEqualTo("LIMIT_EXCEEDED");
        assertThat(admin.post(CAMPAIGNS, campaign("backwards", 1_000, 100, 100, ends, now)).expectStatus(400).errorCode())
                .isEqualTo("INVALID_REQUEST");
        assertThat(admin.post(CAMPAIGNS, spring.replace(now.toString(), "tomorrow")).expectStatus(400).errorCode())
                .isEqualTo("INVALID_REQUEST");
        assertThat(admin.get("/v1/admin/merchants/" + MCH + "/campaigns/none").expectStatus(404).errorCode())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void everyoneWinsOnceUntilTheBudgetIsGoneAndOnlyWithinTheWindow() {
        admin.post(CAMPAIGNS, campaign("spring", 300, 100, 100, now.plusSeconds(60), now.plusSeconds(3600))).expectStatus(201);
        assertThat(enter("spring", "o1").get(0).get("result").asText()).isEqualTo("NOT_STARTED");

        server.clock.advance(Duration.ofSeconds(60));
        JsonNode entries = enter("spring", "o1", "o1", "o2", "o3", "o4", "o2");

        assertThat(entries).extracting(e -> e.get("result").asText())
                .containsExactly("WON", "ALREADY_WON", "WON", "WON", "BUDGET_EXHAUSTED", "ALREADY_WON");
        assertThat(entries.get(0).get("amount").asLong()).isEqualTo(100);
        assertThat(admin.post(CAMPAIGNS + "/spring/entries", "{\"openids\":[\"o5\",\"nobody\"]}").expectStatus(400)
                .errorCode()).as("an unknown openid refuses the call").isEqualTo("INVALID_REQUEST");
        assertThat(enter("spring", "o5").get(0).get("result").asText()).isEqualTo("BUDGET_EXHAUSTED");
        JsonNode status = status("spring");
        assertThat(status.get("wins").asInt()).isEqualTo(3);
        assertThat(status.get("reserved").asLong()).isEqualTo(300);
        assertThat(status.get("pendingWins").asInt()).isEqualTo(3);

        server.clock.advance(Duration.ofHours(1));
        assertThat(enter("spring", "o6").get(0).get("result").asText()).isEqualTo("ENDED");
        assertThat(status("spring").get("state").asText()).isEqualTo("ENDED");
    }

    @Test
    void oneUserEnteringFromFiftyThreadsAtOnceWinsOnce() throws Exception {
        admin.post(CAMPAIGNS, campaign("rush", 10_000, 100, 100, now, now.plusSeconds(3600))).expectStatus(201);
        List<Callable<JsonNode>> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(() -> enter("rush", "o7").get(0));
        }

        List<JsonNode> results = atOnce(entries);

        assertThat(results).extracting(r -> r.get("result").asText()).containsOnlyOnce("WON")
                .containsOnly("WON", "ALREADY_WON");
        assertThat(status("rush").get("wins").asInt()).isEqualTo(1);
        assertThat(status("rush").get("reserved").asLong()).isEqualTo(100);
    }

    @Test
    void theDispatcherPaysEachWinWithOnePacketAndStopsAtTheBudget() {
        admin.post(CAMPAIGNS, campaign("pay", 1_500, 100, 400, now, now.plusSeconds(3600))).expectStatus(201);
        String[] everyone = IntStream.range(0, 20).mapToObj(i -> "o" + i).toArray(String[]::new);
        JsonNode entries = enter("pay", everyone);
        long won = 0;
        for (JsonNode entry : entries) {
            won += entry.get("result").asText().equals("WON") ? entry.get("amount").asLong() : 0;
        }
        assertThat(won).as("the wins add up to the budget exactly").isEqualTo(1_500);

        assertThat(server.app.dispatchCampaignWins()).as("the wallet is empty").isZero();
        assertThat(status("pay").get("pendingWins").asInt()).isPositive();
        server.deposit("mch." + MCH, 2_000, "mch-topup-1");
        int paid = server.app.dispatchCampaignWins();

        JsonNode status = status("pay");
        assertThat(paid).isEqualTo(status.get("wins").asInt());
        assertThat(status.get("paidAmount").asLong()).isEqualTo(1_500);
        assertThat(status.get("pendingWins").asInt()).isZero();
        assertThat(server.merchantBalance(MCH)).isEqualTo(500);
        assertThat(server.app.dispatchCampaignWins()).as("nothing is paid twice").isZero();
        JsonNode wins = admin.get(CAMPAIGNS + "/pay/wins?limit=100").expectStatus(200).json().get("items");
        Set<String> packets = new HashSet<>();
        for (JsonNode win : wins) {
            assertThat(win.get("state").asText()).isEqualTo("PAID");
            assertThat(win.get("openid").asText()).isEqualTo("o" + win.get("userId").asText().substring(1));
            packets.add(win.get("packetId").asText());
            ApiClient winner = server.user(win.get("userId").asText());
            JsonNode opened = winner.post("/v1/packets/" + win.get("packetId").asText() + "/open", null).expectStatus(200).json();
            assertThat(opened.get("amount").asLong()).isEqualTo(win.get("amount").asLong());
            assertThat(opened.get("greeting").asText()).isEqualTo("新春快乐");
        }
        assertThat(packets).hasSize(wins.size());
        server.settleCredits();
        assertThat(admin.get("/v1/admin/audit").expectStatus(200).json().get("problems")).isEmpty();
    }

    private static List<JsonNode> atOnce(List<Callable<JsonNode>> calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<JsonNode>> futures = new ArrayList<>();
            for (Callable<JsonNode> call : calls) {
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await();
            go.countDown();
            List<JsonNode> results = new ArrayList<>();
            for (Future<JsonNode> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
