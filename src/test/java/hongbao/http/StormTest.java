package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Thousands of real HTTP clients race to open one lucky packet of 100 shares. */
class StormTest {
    private static final int MEMBERS = 1_500;
    private static final int DOUBLE_OPENERS = 500;
    private static final int SHARES = 100;
    private static final long TOTAL = 88_888;

    record Outcome(String userId, int status, String body) {
    }

    @Test
    void exactlyCountOpensSucceedNobodyTwiceAndTheMoneyAddsUp() throws Exception {
        try (TestServer server = TestServer.start()) {
            List<String> users = IntStream.range(0, MEMBERS).mapToObj(i -> "m" + i).toList();
            Map<String, ApiClient> clients = new HashMap<>();
            for (String user : users) {
                clients.put(user, server.user(user));
            }
            server.group("storm", users);
            server.deposit("m0", TOTAL, "storm-funding");
            String packetId = clients.get("m0").post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"storm\",\"total\":"
                    + TOTAL + ",\"count\":" + SHARES + ",\"greeting\":\"恭喜发财\"}").expectStatus(201).json().get("id").asText();
            JsonNode auditBefore = server.admin.get("/v1/admin/audit").expectStatus(200).json();

            // 2,000 requests at once: every member opens, and 500 of them open twice concurrently.
            List<String> openers = new ArrayList<>(users);
            openers.addAll(users.subList(0, DOUBLE_OPENERS));
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            CountDownLatch ready = new CountDownLatch(openers.size());
            CountDownLatch go = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> tasks = new ArrayList<>();
                for (String opener : openers) {
                    tasks.add(pool.submit(() -> {
                        ready.countDown();
                        go.await();
                        ApiClient.Response r = clients.get(opener).post("/v1/packets/" + packetId + "/open", null);
                        outcomes.add(new Outcome(opener, r.status(), r.body()));
                        return null;
                    }));
                }
                ready.await();
                go.countDown();
                for (Future<?> task : tasks) {
                    task.get();
                }
            }

            assertThat(outcomes).hasSize(MEMBERS + DOUBLE_OPENERS);
            List<Outcome> won = outcomes.stream().filter(o -> o.status() == 200).toList();
            assertThat(won).hasSize(SHARES);
            assertThat(won.stream().map(Outcome::userId).distinct()).hasSize(SHARES);
            assertThat(outcomes.stream().filter(o -> o.status() != 200))
                    .allSatisfy(o -> {
                        assertThat(o.status()).isEqualTo(409);
                        assertThat(o.body()).containsAnyOf("SNATCHED_OUT", "ALREADY_CLAIMED");
                    });
            long sum = won.stream().mapToLong(o -> new ApiClient.Response(200, o.body(), null).json().get("amount").asLong()).sum();
            assertThat(sum).isEqualTo(TOTAL);
            assertThat(won.stream().map(o -> new ApiClient.Response(200, o.body(), null).json().get("seq").asInt()))
                    .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, SHARES).boxed().toList());

            JsonNode packet = clients.get("m0").get("/v1/packets/" + packetId).expectStatus(200).json();
            assertThat(packet.get("status").asText()).isEqualTo("FINISHED");
            assertThat(packet.get("openedAmount").asLong()).isEqualTo(TOTAL);
            assertThat(packet.get("claims")).hasSize(SHARES);

            server.settleCredits();
            long walletSum = 0;
            long claimTransfers = 0;
            for (Outcome o : won) {
                claimTransfers += server.transfersPerClaim(packetId, o.userId());
                walletSum += clients.get(o.userId()).get("/v1/wallet").expectStatus(200).json().get("balance").asLong();
            }
            // The sender spent exactly its deposit, so the winners' wallets together hold exactly the total.
            assertThat(walletSum).isEqualTo(TOTAL);

            JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
            assertThat(audit.get("balanced").asBoolean()).as(audit.toString()).isTrue();
            assertThat(audit.get("transfers").asLong()).isEqualTo(auditBefore.get("transfers").asLong() + claimTransfers);
            assertThat(audit.get("escrow").asLong()).isZero();
        }
    }
}
