package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of an open storm, as a deploy sends it: {@code /ready} turns 503 at once, requests keep being
 * answered through the drain period, then the process exits 0. The clients stand for a proxy: they keep sending until
 * its health check sees {@code /ready} fail, as nginx stops routing to a failed server. No request that reached the
 * service goes unanswered, and every acknowledged open is there after a restart.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DrainIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "drain-it-admin-key-0001";
    private static final String GROUP = "drain-group";
    private static final int USERS = 200;
    private static final int PACKETS = 10;
    private static final int CLIENTS = 64;
    private static final int ACKS_BEFORE_SIGTERM = 200;

    @TempDir
    Path dataDir;

    private final String storeSpec = hongbao.testing.TestStores.freshStoreSpec();
    private final List<HongbaoProcess> started = new ArrayList<>();

    record Ack(String packetId, String userId, long amount) {
    }

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    private HongbaoProcess.Launcher launcher() {
        return new HongbaoProcess.Launcher(dataDir, storeSpec, ADMIN_KEY, List.of())
                .withEnv(Map.of("HONGBAO_DRAIN_SECONDS", "2"));
    }

    @Test
    void sigtermDrainsAnswersEveryRequestThatArrivedAndExitsZero() throws Exception {
        HongbaoProcess first = launcher().serve("first", started);
        RawApi admin = new RawApi(first.baseUrl, ADMIN_KEY);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(String.format("d%03d", i));
        }
        users.add("sender");
        Map<String, String> tokens = admin.usersInGroup(GROUP, users);
        expect(admin.call("POST", "/v1/admin/users/sender/deposits", "{\"amount\":10000000,\"reference\":\"drain-funds\"}"), 201);
        RawApi sender = admin.as(tokens.get("sender"));
        List<String> packets = sender.sendLuckyPackets(GROUP, PACKETS, 20_000, 100);

        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();
        CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_SIGTERM);
        java.util.concurrent.atomic.AtomicBoolean routed = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicLong sigtermAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        AtomicInteger answeredAfterSigterm = new AtomicInteger();
        RawApi storm = admin.freshClient();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            int offset = client;
            pool.execute(() -> {
                // Every client goes over every (packet, user) pair from its own offset until the port is closed.
                for (int n = 0; n < PACKETS * USERS && routed.get(); n++) {
                    int task = (offset * 37 + n) % (PACKETS * USERS);
                    String packetId = packets.get(task % PACKETS);
                    String user = users.get(task / PACKETS);
                    try {
                        HttpResponse<String> r = storm.as(tokens.get(user)).call("POST", "/v1/packets/" + packetId + "/open", null);
                        outcomes.computeIfAbsent(String.valueOf(r.statusCode()), k -> new AtomicInteger()).incrementAndGet();
                        if (System.nanoTime() > sigtermAt.get()) {
                            answeredAfterSigterm.incrementAndGet();
                        }
                        if (r.statusCode() == 200) {
                            acks.add(new Ack(packetId, user, JSON.readTree(r.body()).get("amount").asLong()));
                            enoughAcks.countDown();
                        }
                    } catch (ConnectException portClosed) {
                        outcomes.computeIfAbsent("connection refused", k -> new AtomicInteger()).incrementAndGet();
                        return;
                    } catch (IOException reachedButUnanswered) {
                        unanswered.add(user + " on " + packetId + ": " + reachedButUnanswered);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        assertThat(enoughAcks.await(60, TimeUnit.SECONDS)).as("%d acks before SIGTERM: %s", ACKS_BEFORE_SIGTERM, outcomes)
                .isTrue();
        long sigterm = System.nanoTime();
        sigtermAt.set(sigterm);
        first.process.destroy(); // SIGTERM
        RawApi probe = admin.freshClient();
        int readyStatus = expectDraining(probe);
        routed.set(false); // the proxy's health check failed: no new requests go to this node
        assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).as("exited after the drain").isTrue();
        long exitMillis = (System.nanoTime() - sigterm) / 1_000_000;
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        System.out.printf("DrainIT: exit %d %d ms after SIGTERM; /ready said %d while draining; outcomes %s; "
                + "answered after SIGTERM %d; acknowledged opens %d; unanswered %d%n", first.process.exitValue(),
                exitMillis, readyStatus, outcomes, answeredAfterSigterm.get(), acks.size(), unanswered.size());

        assertThat(first.process.exitValue()).as(first.logTail()).isZero();
        assertThat(exitMillis).as("the drain period was kept").isGreaterThanOrEqualTo(2_000);
        assertThat(unanswered).as("requests that reached the service without an answer").isEmpty();
        assertThat(answeredAfterSigterm.get()).as("requests answered while draining").isPositive();

        HongbaoProcess second = launcher().serve("second", started);
        RawApi after = new RawApi(second.baseUrl, ADMIN_KEY);
        for (Ack ack : acks) {
            JsonNode view = expect(after.as(tokens.get(ack.userId())).call("GET", "/v1/packets/" + ack.packetId(), null), 200);
            assertThat(view.path("myClaim").path("amount").asLong()).as("%s", ack).isEqualTo(ack.amount());
        }
        JsonNode audit = expect(after.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as(audit.toString()).isEmpty();
    }

    /** /ready answers 503 DRAINING soon after SIGTERM, while the server still answers; the status it saw. */
    private static int expectDraining(RawApi probe) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            HttpResponse<String> ready = probe.call("GET", "/ready", null);
            if (ready.statusCode() == 503) {
                assertThat(ready.body()).contains("DRAINING");
                return 503;
            }
        }
        throw new AssertionError("/ready did not turn 503 within 200 probes after SIGTERM");
    }
}
