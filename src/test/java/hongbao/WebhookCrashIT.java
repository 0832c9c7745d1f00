package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import hongbao.testing.WebhookReceiver;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 mid-storm with a webhook receiver attached (docs/events.md): after the restart every acknowledged open has
 * exactly one packet.opened event, delivered at least once, and the receiver's dedupe by Hongbao-Delivery leaves one
 * per open, in each packet's order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WebhookCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "webhook-crash-admin-key";
    private static final String GROUP = "storm";
    private static final int USERS = 150;
    private static final int PACKETS = 20;
    private static final int SHARES = 100;
    private static final int ACKS_BEFORE_KILL = 150;

    @TempDir
    Path dataDir;

    private final String storeSpec = hongbao.testing.TestStores.freshStoreSpec();
    private final List<HongbaoProcess> started = new ArrayList<>();
    private final WebhookReceiver receiver = new WebhookReceiver();

    record Ack(String packetId, String userId, long amount, int seq) {
    }

    @AfterEach
    void stop() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
        receiver.close();
    }

    private HongbaoProcess serve(String name) throws Exception {
        return new HongbaoProcess.Launcher(dataDir, storeSpec, ADMIN_KEY, List.of())
                .withEnv(Map.of("HONGBAO_WEBHOOK_URLS", receiver.url().toString(),
                        "HONGBAO_WEBHOOK_SECRET", "whsec-crash-0123456789", "HONGBAO_WEBHOOK_EVENTS", "packet.opened"))
                .serve(name, started);
    }

    @Test
    void everyAcknowledgedOpenHasExactlyOneOpenedEventDeliveredAfterTheRestart() throws Exception {
        receiver.start();
        HongbaoProcess first = serve("first");
        RawApi admin = new RawApi(first.baseUrl, ADMIN_KEY);
        List<String> users = IntStream.range(0, USERS).mapToObj(i -> String.format("u%03d", i)).toList();
        Map<String, String> tokens = admin.usersInGroup(GROUP, users);
        expect(admin.call("POST", "/v1/admin/users/u000/deposits", "{\"amount\":1000000,\"reference\":\"bank-storm\"}"), 201);
        List<String> packets = admin.as(tokens.get("u000")).sendLuckyPackets(GROUP, PACKETS, 30_000, SHARES);

        List<String[]> storm = new ArrayList<>();
        for (String packet : packets) {
            users.forEach(user -> storm.add(new String[] {packet, user}));
        }
        Collections.shuffle(storm, new Random(7));
        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        CountDownLatch enough = new CountDownLatch(ACKS_BEFORE_KILL);
        AtomicBoolean killed = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        RawApi client = admin.freshClient();
        for (String[] task : storm) {
            pool.execute(() -> {
                if (killed.get()) {
                    return;
                }
                try {
                    HttpResponse<String> r = client.as(tokens.get(task[1])).call("POST", "/v1/packets/" + task[0] + "/open", null);
                    if (r.statusCode() == 200) {
                        JsonNode body = JSON.readTree(r.body());
                        acks.add(new Ack(body.get("packetId").asText(), task[1], body.get("amount").asLong(), body.get("seq").asInt()));
                        enough.countDown();
                    }
                } catch (IOException e) {
                    // in flight at the kill: its outcome is learnt after the restart
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        assertThat(enough.await(60, TimeUnit.SECONDS)).as("acknowledged opens before the kill").isTrue();
        // Killed while delivering: some events were delivered, their cursor maybe not yet saved.
        receiver.await("deliveries before the kill", () -> receiver.requests().size() >= 5);
        killed.set(true);
        first.process.destroyForcibly();
        assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acks.size()).as("killed mid-storm").isLessThan(PACKETS * SHARES);
        int deliveredBeforeRestart = receiver.requests().size();

        HongbaoProcess second = serve("second");
        RawApi adminAgain = new RawApi(second.baseUrl, ADMIN_KEY);
        Map<String, Integer> claimsByPacket = new HashMap<>();
        for (String packet : packets) {
            claimsByPacket.put(packet, expect(adminAgain.as(tokens.get("u000")).call("GET", "/v1/packets/" + packet, null), 200)
                    .get("openedCount").asInt());
        }
        int claims = claimsByPacket.values().stream().mapToInt(Integer::intValue).sum();
        receiver.await("one packet.opened per claim", () -> deduped().size() == claims);

        Map<String, JsonNode> events = deduped();
        Map<String, List<Integer>> seqsByPacket = new LinkedHashMap<>();
        Map<String, JsonNode> byPacketSeq = new HashMap<>();
        for (JsonNode event : events.values()) {
            String key = event.get("packetId").asText() + "#" + event.get("data").get("seq").asInt();
            assertThat(byPacketSeq.put(key, event)).as("a second packet.opened for %s", key).isNull();
            seqsByPacket.computeIfAbsent(event.get("packetId").asText(), p -> new ArrayList<>()).add(event.get("data").get("seq").asInt());
        }
        for (Ack ack : acks) {
            JsonNode event = byPacketSeq.get(ack.packetId() + "#" + ack.seq());
            assertThat(event).as("the event of acknowledged open %s", ack).isNotNull();
            assertThat(event.get("data").get("userId").asText()).isEqualTo(ack.userId());
            assertThat(event.get("data").get("amount").asLong()).isEqualTo(ack.amount());
        }
        seqsByPacket.forEach((packet, seqs) -> assertThat(seqs).as("packet %s in order", packet).isSorted()
                .hasSize(claimsByPacket.get(packet)));
        System.out.printf("WebhookCrashIT: %d acknowledged before the kill, %d claims after the restart, %d requests received "
                + "(%d before the restart), %d distinct deliveries%n", acks.size(), claims, receiver.requests().size(),
                deliveredBeforeRestart, events.size());
    }

    /** The receiver's dedupe: the first accepted request of each delivery id, in the order they came. */
    private Map<String, JsonNode> deduped() {
        Map<String, JsonNode> first = new LinkedHashMap<>();
        for (WebhookReceiver.Delivery delivery : receiver.requests()) {
            if (delivery.answered() == 200) {
                first.putIfAbsent(delivery.deliveryId(), delivery.event());
            }
        }
        return first;
    }
}
