package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.paysim.ProviderSimulator;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opens racing with the payment notification: a storm on a client-confirmed packet while the provider's
 * notification lands in the middle of it (once, or twice at the same moment): 40 claims are made before it, and
 * 260 members race it for the other 60 shares. Claims made before it wait
 * uncredited and are credited by the reconciler; claims after it are credited at once. Every claim ends credited
 * exactly once and the ledger balances.
 */
class PaymentStormTest {
    private static final int MEMBERS = 300;
    private static final int SHARES = 100;
    private static final long TOTAL = 50_000;
    private static final int WAVE_ONE = 40;

    private static List<Future<?>> openAll(ExecutorService pool, Map<String, ApiClient> clients, List<String> openers,
            String packetId, Map<String, JsonNode> won) {
        return openAll(pool, clients, openers, packetId, won, new CountDownLatch(0));
    }

    /** Every opener opens once, all at the same moment, when {@code go} opens. */
    private static List<Future<?>> openAll(ExecutorService pool, Map<String, ApiClient> clients, List<String> openers,
            String packetId, Map<String, JsonNode> won, CountDownLatch go) {
        List<Future<?>> opens = new ArrayList<>();
        for (String user : openers) {
            opens.add(pool.submit(() -> {
                go.await();
                ApiClient.Response r = clients.get(user).post("/v1/packets/" + packetId + "/open", null);
                if (r.status() == 200) {
                    won.put(user, r.json());
                } else {
                    assertThat(r.errorCode()).isEqualTo("SNATCHED_OUT");
                }
                return null;
            }));
        }
        return opens;
    }

    @ParameterizedTest(name = "notification sent {0} time(s)")
    @ValueSource(ints = {1, 2})
    void everyClaimIsCreditedExactlyOnce(int notifications) throws Exception {
        try (TestServer server = TestServer.start()) {
            List<String> users = IntStream.range(0, MEMBERS).mapToObj(i -> "p" + i).toList();
            Map<String, ApiClient> clients = new HashMap<>();
            for (String user : users) {
                clients.put(user, server.user(user));
            }
            server.group("pay-storm", users);
            ApiClient sender = clients.get("p0");
            JsonNode sent = sender.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"pay-storm\",\"total\":" + TOTAL
                    + ",\"count\":" + SHARES + ",\"payMethod\":\"THIRD_PARTY\"}").expectStatus(201).json();
            String packetId = sent.get("id").asText();
            String paymentId = sent.get("payment").get("paymentId").asText();
            sender.post("/v1/packets/" + packetId + "/payment/client-confirm", null).expectStatus(200);
            long transfersBefore = server.admin.get("/v1/admin/audit").expectStatus(200).json().get("transfers").asLong();

            // Wave 1 opens before any notification: those claims must wait. Wave 2 races the notification(s).
            Map<String, JsonNode> won = new ConcurrentHashMap<>();
            List<ProviderSimulator.Delivery> deliveries = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Future<?> open : openAll(pool, clients, users.subList(0, WAVE_ONE), packetId, won)) {
                    open.get();
                }
                assertThat(won.values()).as("claims before the money arrived").allSatisfy(
                        o -> assertThat(o.get("credited").asBoolean()).isFalse());
                CountDownLatch go = new CountDownLatch(1);
                List<Future<List<ProviderSimulator.Delivery>>> notifies = new ArrayList<>();
                for (int i = 0; i < notifications; i++) {
                    notifies.add(pool.submit(() -> {
                        go.await();
                        return server.provider().send(List.of(new ProviderSimulator.Notification(paymentId, TOTAL, true)),
                                ProviderSimulator.Options.ONCE);
                    }));
                }
                List<Future<?>> waveTwo = openAll(pool, clients, users.subList(WAVE_ONE, MEMBERS), packetId, won, go);
                go.countDown();
                for (Future<?> open : waveTwo) {
                    open.get();
                }
                for (Future<List<ProviderSimulator.Delivery>> notify : notifies) {
                    deliveries.addAll(notify.get());
                }
            }
            assertThat(deliveries).allSatisfy(d -> assertThat(d.returnCode()).isEqualTo("SUCCESS"));
            assertThat(won).hasSize(SHARES);
            long creditedAtOnce = won.values().stream().filter(o -> o.get("credited").asBoolean()).count();
            System.out.printf("PaymentStormTest: %d notification(s); %d of %d claims credited at once, the rest by the "
                    + "reconciler%n", notifications, creditedAtOnce, SHARES);

            server.reconcile();
            long claimTransfers = 0;
            for (Map.Entry<String, JsonNode> win : won.entrySet()) {
                ApiClient client = clients.get(win.getKey());
                assertThat(client.get("/v1/wallet").expectStatus(200).json().get("balance").asLong())
                        .as("wallet of %s: its claim, once", win.getKey()).isEqualTo(win.getValue().get("amount").asLong());
                assertThat(client.get("/v1/packets/" + packetId).expectStatus(200).json().get("myClaim").get("credited")
                        .asBoolean()).isTrue();
                claimTransfers += server.transfersPerClaim(packetId, win.getKey());
            }
            assertThat(won.values().stream().mapToLong(o -> o.get("amount").asLong()).sum()).isEqualTo(TOTAL);
            JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
            assertThat(audit.get("problems")).as(audit.toString()).isEmpty();
            assertThat(audit.get("external").asLong()).as("the money came in once").isEqualTo(-TOTAL);
            assertThat(audit.get("transfers").asLong()).as("one payment and one credit per claim")
                    .isEqualTo(transfersBefore + 1 + claimTransfers);
        }
    }
}
