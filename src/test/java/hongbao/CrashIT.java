package hongbao;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import static hongbao.testing.RawApi.expect;

/**
 * Crash durability: a real {@code java -jar target/hongbao.jar serve} process is killed with SIGKILL in the
 * middle of an open storm, restarted on the same data directory, and must still hold every acknowledged open
 * (same user, amount and seq), no doubled claim, consistent packet totals and wallets, and a balanced ledger,
 * both through {@code GET /v1/admin/audit} and the {@code audit} subcommand. Then it must keep serving opens. Besides
 * SIGKILL from outside, the process also dies at two failpoints of the write path: right after a journal append, and
 * in the middle of deriving the tables from the journal.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "crash-it-admin-key";

    private static final int USERS = 300;
    /** Users u000..u279 take part in the storm; the rest stay fresh for opens after the restart. */
    private static final int STORM_USERS = 280;
    private static final int PACKETS = 20;
    private static final int SHARES = 100;
    private static final long PACKET_TOTAL = 50_000;
    private static final long SENDER_DEPOSIT = 2_000_000;
    private static final int CONCURRENCY = 200;
    private static final int ACKS_BEFORE_KILL = 300;
    private static final String SENDER = "sender";
    private static final String GROUP = "crash-group";

    @TempDir
    Path dataDir;

    /** The store both lives of the server share: null for SQLite in dataDir, else one fresh PostgreSQL database. */
    private final String storeSpec = hongbao.testing.TestStores.freshStoreSpec();

    private HongbaoProcess.Launcher launcher() {
        return new HongbaoProcess.Launcher(dataDir, storeSpec, ADMIN_KEY, List.of());
    }

    private final List<HongbaoProcess> started = new ArrayList<>();

    record Ack(String packetId, String userId, long amount, int seq) {
    }

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    /** How the first life ends in the middle of the storm. */
    enum Death {
        /** SIGKILL from outside once enough opens are acknowledged: the journal holds entries not yet derived. */
        SIGKILL(List.of()),
        /**
         * The process halts right after a batch of opens is journaled, before it is acknowledged or known as pending.
         * Late enough that earlier batches' answers have reached the client even on a loaded machine (at the 12th, a
         * CI run once had none yet: the halt came before their request threads wrote them).
         */
        AFTER_JOURNAL_APPEND(List.of("-Dhongbao.failpoint=journal-appended", "-Dhongbao.failpoint.pass=40")),
        /** The process halts with half of a derivation batch's rows written and not committed. */
        MID_DERIVATION(List.of("-Dhongbao.failpoint=mid-derivation", "-Dhongbao.failpoint.pass=3"));

        final List<String> jvmFlags;

        Death(List<String> jvmFlags) {
            this.jvmFlags = jvmFlags;
        }
    }

    @ParameterizedTest
    @EnumSource(Death.class)
    void everyAcknowledgedOpenSurvivesTheCrash(Death death) throws Exception {
        // ---- first life: set up, storm, death --------------------------------------------------------------
        long t0 = System.nanoTime();
        HongbaoProcess first = launcher().withJvmFlags(death.jvmFlags.toArray(String[]::new)).serve("first", started);
        RawApi admin = new RawApi(first.baseUrl, ADMIN_KEY);
        Map<String, String> tokens = setUp(admin);
        RawApi sender = admin.as(tokens.get(SENDER));
        List<String> packetIds = new ArrayList<>();
        for (int p = 0; p < PACKETS; p++) {
            packetIds.add(sendLucky(sender, "pk-" + p, PACKET_TOTAL, SHARES));
        }

        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicInteger unknown = new AtomicInteger();
        AtomicInteger notSent = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch enoughAcks = new CountDownLatch(ACKS_BEFORE_KILL);
        List<String[]> storm = new ArrayList<>();
        for (String packetId : packetIds) {
            for (int u = 0; u < STORM_USERS; u++) {
                storm.add(new String[] {packetId, userId(u)});
                if (u % 10 == 0) {
                    storm.add(new String[] {packetId, userId(u)}); // a duplicate open racing the first
                }
            }
        }
        Collections.shuffle(storm, new Random(42));

        long setupMillis = (System.nanoTime() - t0) / 1_000_000;
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        RawApi stormClient = admin.freshClient();
        try {
            for (String[] task : storm) {
                pool.execute(() -> {
                    if (killed.get()) {
                        notSent.incrementAndGet();
                        return;
                    }
                    try {
                        HttpResponse<String> r = stormClient.as(tokens.get(task[1]))
                                .call("POST", "/v1/packets/" + task[0] + "/open", null);
                        if (r.statusCode() == 200) {
                            JsonNode body = JSON.readTree(r.body());
                            acks.add(new Ack(body.get("packetId").asText(), task[1], body.get("amount").asLong(),
                                    body.get("seq").asInt()));
                            outcomes.computeIfAbsent("200", k -> new AtomicInteger()).incrementAndGet();
                            enoughAcks.countDown();
                        } else {
                            String code = errorCode(r.body());
                            outcomes.computeIfAbsent(r.statusCode() + " " + code, k -> new AtomicInteger()).incrementAndGet();
                        }
                    } catch (IOException e) {
                        unknown.incrementAndGet(); // in flight at the kill: may or may not have committed
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        unknown.incrementAndGet();
                    }
                });
            }
            if (death == Death.SIGKILL) {
                boolean reached = enoughAcks.await(60, TimeUnit.SECONDS);
                assertThat(reached).as("%s acknowledged opens within 60 s (got %d; outcomes %s; unknown %d)\n%s",
                        ACKS_BEFORE_KILL, acks.size(), outcomes, unknown.get(), first.logTail()).isTrue();
                killed.set(true);
                first.process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no drain
                assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).as("killed server exited").isTrue();
            } else {
                assertThat(first.process.waitFor(90, TimeUnit.SECONDS)).as("the failpoint stopped the server\n%s",
                        first.logTail()).isTrue();
                killed.set(true);
                assertThat(first.process.exitValue()).as("exit code of the failpoint's halt\n%s", first.logTail())
                        .isEqualTo(86);
                assertThat(acks).as("opens acknowledged before the failpoint").isNotEmpty();
            }
        } finally {
            killed.set(true);
            pool.shutdown();
            if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
        assertThat(pool.isTerminated()).as("storm clients finished after the kill").isTrue();
        List<Ack> acknowledged = new ArrayList<>(acks);
        int acksBeforeKill = acknowledged.size();
        System.out.printf("CrashIT: storm of %d opens; acknowledged=%d unknown(in flight at kill)=%d notSent=%d outcomes=%s "
                + "killed exit=%d (setup took %d ms)%n", storm.size(), acksBeforeKill, unknown.get(), notSent.get(), outcomes,
                first.process.exitValue(), setupMillis);

        // The client log itself: one ack per (packet, user), seqs unique per packet.
        Map<String, Map<String, Ack>> ackByPacketUser = new HashMap<>();
        Map<String, Set<Integer>> seqsByPacket = new HashMap<>();
        for (Ack ack : acknowledged) {
            Ack previous = ackByPacketUser.computeIfAbsent(ack.packetId(), k -> new HashMap<>()).put(ack.userId(), ack);
            assertThat(previous).as("user %s acknowledged twice on packet %s", ack.userId(), ack.packetId()).isNull();
            assertThat(seqsByPacket.computeIfAbsent(ack.packetId(), k -> new HashSet<>()).add(ack.seq()))
                    .as("seq %d acknowledged twice on packet %s", ack.seq(), ack.packetId()).isTrue();
        }

        // ---- second life: restart on the same data dir and verify --------------------------------------------
        HongbaoProcess second = launcher().serve("second", started);
        admin = new RawApi(second.baseUrl, ADMIN_KEY);
        HttpResponse<String> scrape = admin.call("GET", "/metrics", null);
        assertThat(scrape.statusCode()).as("metrics").isEqualTo(200);
        String metrics = scrape.body();
        assertThat(metrics).as("the journal is derived during the start, before the server listens")
                .containsPattern("hongbao_journal_backlog\\{set=\"0\"\\} 0\\.0");
        sender = admin.as(tokens.get(SENDER)); // tokens survive: the secret is in the data dir

        Map<String, JsonNode> views = new TreeMap<>();
        for (String packetId : packetIds) {
            views.put(packetId, expect(sender.call("GET", "/v1/packets/" + packetId, null), 200));
        }
        int verified = 0;
        Map<String, Long> claimedByUser = new HashMap<>();
        int committedClaims = 0;
        for (String packetId : packetIds) {
            JsonNode view = views.get(packetId);
            JsonNode claims = view.get("claims");
            Set<String> users = new HashSet<>();
            long sum = 0;
            for (JsonNode claim : claims) {
                String user = claim.get("userId").asText();
                assertThat(users.add(user)).as("user %s appears twice in packet %s: %s", user, packetId, claims).isTrue();
                sum += claim.get("amount").asLong();
                claimedByUser.merge(user, claim.get("amount").asLong(), Long::sum);
            }
            committedClaims += claims.size();
            assertThat(view.get("openedCount").asInt()).as("openedCount of %s", packetId).isEqualTo(claims.size());
            assertThat(view.get("openedAmount").asLong()).as("openedAmount of %s = sum of claims", packetId).isEqualTo(sum);
            assertThat(claims.size()).as("claims of %s", packetId).isLessThanOrEqualTo(SHARES);
            assertThat(sum).as("opened amount of %s", packetId).isLessThanOrEqualTo(PACKET_TOTAL);
            if (claims.size() == SHARES) {
                assertThat(sum).as("finished packet %s gave out its whole total", packetId).isEqualTo(PACKET_TOTAL);
                assertThat(view.get("status").asText()).isEqualTo("FINISHED");
            } else {
                assertThat(view.get("status").asText()).as("status of %s", packetId).isEqualTo("ACTIVE");
            }
            for (Ack ack : ackByPacketUser.getOrDefault(packetId, Map.of()).values()) {
                assertThat(ack.seq()).as("acknowledged seq %s within the committed claims of %s (%d)", ack, packetId,
                        claims.size()).isBetween(1, claims.size());
                JsonNode atSeq = claims.get(ack.seq() - 1); // the sender's view lists claims in seq order
                assertThat(atSeq.get("userId").asText()).as("claim at seq %d of %s after restart", ack.seq(), packetId)
                        .isEqualTo(ack.userId());
                assertThat(atSeq.get("amount").asLong()).as("amount of acknowledged %s after restart", ack)
                        .isEqualTo(ack.amount());
                verified++;
            }
        }
        assertThat(verified).as("every acknowledged open verified").isEqualTo(acksBeforeKill);

        // Wallets: every storm user holds exactly what their committed claims credited; the sender paid the totals.
        RawApi walletClient = admin.freshClient();
        List<Callable<Void>> walletChecks = new ArrayList<>();
        for (int u = 0; u < STORM_USERS; u++) {
            String user = userId(u);
            walletChecks.add(() -> {
                JsonNode wallet = expect(walletClient.as(tokens.get(user)).call("GET", "/v1/wallet", null), 200);
                assertThat(wallet.get("balance").asLong()).as("balance of %s after restart", user)
                        .isEqualTo(claimedByUser.getOrDefault(user, 0L));
                return null;
            });
        }
        runAll(walletChecks, 32);
        assertThat(expect(sender.call("GET", "/v1/wallet", null), 200).get("balance").asLong())
                .as("sender balance").isEqualTo(SENDER_DEPOSIT - PACKETS * PACKET_TOTAL);
        assertBalanced(admin, "after restart");

        // ---- the restarted server keeps serving: open remaining shares with users outside the storm ----------
        int extraOpens = 0;
        int fresh = STORM_USERS;
        for (String packetId : packetIds) {
            if (extraOpens >= 8 || fresh >= USERS) {
                break;
            }
            JsonNode view = views.get(packetId);
            int remaining = SHARES - view.get("openedCount").asInt();
            if (remaining <= 0) {
                continue;
            }
            String user = userId(fresh++);
            JsonNode opened = expect(admin.as(tokens.get(user)).call("POST", "/v1/packets/" + packetId + "/open", null), 200);
            assertThat(opened.get("seq").asInt()).as("seq of a new open on %s", packetId)
                    .isEqualTo(view.get("openedCount").asInt() + 1);
            JsonNode after = expect(sender.call("GET", "/v1/packets/" + packetId, null), 200);
            assertThat(after.get("openedCount").asInt()).isEqualTo(view.get("openedCount").asInt() + 1);
            JsonNode last = after.get("claims").get(after.get("claims").size() - 1);
            assertThat(last.get("userId").asText()).isEqualTo(user);
            assertThat(last.get("amount").asLong()).isEqualTo(opened.get("amount").asLong());
            // the same user again is refused, not doubled
            HttpResponse<String> again = admin.as(tokens.get(user)).call("POST", "/v1/packets/" + packetId + "/open", null);
            assertThat(again.statusCode()).as("second open by %s: %s", user, again.body()).isEqualTo(409);
            assertThat(errorCode(again.body())).isEqualTo("ALREADY_CLAIMED");
            extraOpens++;
        }
        assertThat(extraOpens).as("packets with shares left after the kill accept opens").isGreaterThan(0);

        // a packet sent after the restart works too (fresh ids must not collide with the old ones)
        String newPacket = sendLucky(sender, "pk-after-restart", 500, 5);
        assertThat(packetIds).doesNotContain(newPacket);
        for (int i = 0; i < 5; i++) {
            expect(admin.as(tokens.get(userId(i))).call("POST", "/v1/packets/" + newPacket + "/open", null), 200);
        }
        JsonNode finished = expect(sender.call("GET", "/v1/packets/" + newPacket, null), 200);
        assertThat(finished.get("status").asText()).isEqualTo("FINISHED");
        assertThat(finished.get("openedAmount").asLong()).isEqualTo(500);
        assertBalanced(admin, "after more opens");
        System.out.printf("CrashIT: committed claims after restart=%d (acknowledged %d, all verified=%d); "
                + "extra opens after restart=%d; %d ms since start%n", committedClaims, acksBeforeKill, verified, extraOpens,
                (System.nanoTime() - t0) / 1_000_000);

        // ---- stop gracefully, then the offline audit subcommand must pass -----------------------------------
        second.process.destroy();
        if (!second.process.waitFor(30, TimeUnit.SECONDS)) {
            second.process.destroyForcibly();
            fail("second server did not stop within 30 s after SIGTERM\n" + second.logTail());
        }
        HongbaoProcess.Finished audit = launcher().audit(started);
        System.out.printf("CrashIT: audit subcommand exit=%d output=%s%n", audit.exitCode(), audit.output().strip());
        assertThat(audit.exitCode()).as("audit subcommand exit code; output:\n%s", audit.output()).isZero();
        assertThat(audit.output()).contains("\"balanced\":true");
    }

    // ---- setup --------------------------------------------------------------------------------------------------

    private static String userId(int i) {
        return String.format("u%03d", i);
    }

    /** Creates the users (with tokens), the group and the sender's deposit; returns the tokens by user. */
    private static Map<String, String> setUp(RawApi admin) throws Exception {
        List<String> users = new ArrayList<>();
        users.add(SENDER);
        for (int i = 0; i < USERS; i++) {
            users.add(userId(i));
        }
        Map<String, String> tokens = new ConcurrentHashMap<>();
        List<Callable<Void>> creates = new ArrayList<>();
        for (String user : users) {
            creates.add(() -> {
                int status = admin.call("POST", "/v1/admin/users",
                        JSON.writeValueAsString(Map.of("userId", user, "name", "User " + user))).statusCode();
                assertThat(status).as("create user %s", user).isIn(200, 201);
                JsonNode token = expect(admin.call("POST", "/v1/admin/users/" + user + "/tokens", "{\"ttlSeconds\": 86400}"), 201);
                tokens.put(user, token.get("token").asText());
                return null;
            });
        }
        runAll(creates, 32);
        expect(admin.call("POST", "/v1/admin/groups",
                JSON.writeValueAsString(Map.of("groupId", GROUP, "name", "Crash family", "members", users))), 201);
        expect(admin.call("POST", "/v1/admin/users/" + SENDER + "/deposits",
                JSON.writeValueAsString(Map.of("amount", SENDER_DEPOSIT, "reference", "crash-it-deposit"))), 201);
        return tokens;
    }

    private static String sendLucky(RawApi sender, String idempotencyKey, long total, int count) throws Exception {
        String body = JSON.writeValueAsString(Map.of("kind", "GROUP_LUCKY", "groupId", GROUP, "total", total,
                "count", count, "greeting", "恭喜发财", "payMethod", "BALANCE"));
        JsonNode packet = expect(sender.call("POST", "/v1/packets", body, "Idempotency-Key", idempotencyKey), 201);
        assertThat(packet.get("status").asText()).isEqualTo("ACTIVE");
        return packet.get("id").asText();
    }

    private static void assertBalanced(RawApi admin, String when) throws Exception {
        JsonNode audit = expect(admin.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("balanced").asBoolean()).as("audit %s: %s", when, audit).isTrue();
        assertThat(audit.get("problems")).as("audit problems %s", when).isEmpty();
    }

    private static void runAll(List<Callable<Void>> tasks, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> futures = pool.invokeAll(tasks, 60, TimeUnit.SECONDS);
            for (Future<Void> future : futures) {
                future.get(); // rethrows assertion failures; CancellationException if over time
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String errorCode(String body) {
        try {
            return JSON.readTree(body).path("error").path("code").asText("?");
        } catch (IOException e) {
            return "non-json";
        }
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------
}
