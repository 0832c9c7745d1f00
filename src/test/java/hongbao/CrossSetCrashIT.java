package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.app.SetsAudit;
import hongbao.domain.AuditReport;
import hongbao.domain.Claim;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.SetLayout;
import hongbao.domain.Transfer;
import hongbao.store.StoreSets;
import hongbao.wiring.Stores;
import hongbao.store.packets.StoredPacket;
import hongbao.store.ledger.WalletEntry;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import static hongbao.testing.RawApi.expect;
import hongbao.testing.TestStores;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two SETs, and a real server process that dies exactly between the two commits of a cross-SET credit: the
 * wallet's SET has the money, the packet's SET still has the outbox row and the claim uncredited. After a restart
 * the relay completes it before the server listens again: every claim is credited exactly once, and the audit
 * balances.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CrossSetCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "cross-set-it-admin-key";
    private static final int SHARDS = 64;
    private static final SetLayout LAYOUT = new SetLayout(SHARDS, 2);
    private static final String SENDER = "sender";
    private static final String GROUP = "two-sets";
    private static final int OTHER_SET_RECEIVERS = 10;
    private static final int SAME_SET_RECEIVERS = 3;
    private static final long TOTAL = 13_000;

    @TempDir
    Path dataDir;

    private final String storeSpec = TestStores.freshStoreSpec(2);
    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    @Test
    void aCreditInterruptedBetweenItsTwoCommitsIsAppliedOnceAfterRestart() throws Exception {
        HongbaoProcess.Launcher launcher = new HongbaoProcess.Launcher(dataDir, storeSpec, ADMIN_KEY, List.of());
        HongbaoProcess first = launcher.withJvmFlags("-Dhongbao.failpoint=relay-between-sets").serve("first", started);
        RawApi admin = new RawApi(first.baseUrl, ADMIN_KEY);
        List<String> receivers = receivers();
        Map<String, String> tokens = setUp(admin, receivers);
        String packetId = sendLucky(admin.as(tokens.get(SENDER)), receivers.size());
        assertThat(LAYOUT.setOfPacket(Long.parseLong(packetId))).as("a packet lives in its sender's SET")
                .isEqualTo(LAYOUT.setOfUser(SENDER));

        Map<String, Long> acknowledged = openConcurrently(admin, tokens, receivers, packetId);
        assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).as("the failpoint stopped the server\n%s", first.logTail())
                .isTrue();
        assertThat(first.process.exitValue()).as("exit code of the failpoint's halt\n%s", first.logTail()).isEqualTo(86);

        long id = Long.parseLong(packetId);
        List<Claim> claims;
        try (StoreSets sets = Stores.openSets(storeSpec, dataDir, SHARDS, 31)) {
            claims = sets.forPacket(id).packet(id).map(StoredPacket::claims).orElseThrow();
            acknowledged.forEach((user, amount) -> assertThat(claims)
                    .as("acknowledged open of %s is stored", user)
                    .anyMatch(c -> c.userId().equals(user) && c.amount() == amount));
            List<CrossSetCredit> waiting = sets.forPacket(id).outbox(1000);
            int appliedButNotCompleted = 0;
            for (Claim claim : claims) {
                boolean crossSet = !LAYOUT.sameSet(id, claim.userId());
                assertThat(claim.credited()).as("claim of %s credited before the relay completed it", claim.userId())
                        .isEqualTo(!crossSet);
                if (crossSet) {
                    assertThat(waiting).as("outbox row of %s's claim", claim.userId())
                            .anyMatch(c -> c.userId().equals(claim.userId()) && c.amount() == claim.amount());
                    long applied = claimTransfersIn(sets, claim);
                    assertThat(applied).as("credits of %s's claim in the wallet's SET", claim.userId()).isLessThanOrEqualTo(1);
                    appliedButNotCompleted += (int) applied;
                }
            }
            assertThat(appliedButNotCompleted).as("credits applied in the wallet's SET but not completed in the packet's")
                    .isPositive();
            AuditReport midway = SetsAudit.run(sets, Instant.now());
            assertThat(midway.problems()).as("the ledger at the moment of the crash").isEmpty();
            System.out.printf("CrossSetCrashIT: %d claims stored (%d acknowledged); %d credits applied in the wallet's SET "
                    + "and waiting to be completed at the crash%n", claims.size(), acknowledged.size(), appliedButNotCompleted);
        }

        HongbaoProcess second = launcher.serve("second", started);
        RawApi restarted = new RawApi(second.baseUrl, ADMIN_KEY);
        for (Claim claim : claims) {
            JsonNode view = expect(restarted.as(tokens.get(claim.userId())).call("GET", "/v1/packets/" + packetId, null), 200);
            assertThat(view.get("myClaim").get("credited").asBoolean()).as("%s's claim after restart", claim.userId()).isTrue();
            JsonNode wallet = expect(restarted.as(tokens.get(claim.userId())).call("GET", "/v1/wallet", null), 200);
            assertThat(wallet.get("balance").asLong()).as("balance of %s: its claim, once", claim.userId())
                    .isEqualTo(claim.amount());
        }
        JsonNode audit = expect(restarted.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as("audit after restart: %s", audit).isEmpty();

        second.process.destroy();
        assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        try (StoreSets sets = Stores.openSets(storeSpec, dataDir, SHARDS, 31)) {
            assertThat(sets.forPacket(id).outbox(10)).as("outbox after the relay's second life").isEmpty();
            for (Claim claim : claims) {
                assertThat(claimTransfersIn(sets, claim)).as("credit of %s's claim", claim.userId()).isEqualTo(1);
            }
        }
        HongbaoProcess.Finished offline = launcher.audit(started);
        assertThat(offline.exitCode()).as("audit subcommand: %s", offline.output()).isZero();
    }

    /** Users whose wallets are in the other SET than the sender's, and a few in the same one. */
    private static List<String> receivers() {
        int senderSet = LAYOUT.setOfUser(SENDER);
        List<String> other = new ArrayList<>();
        List<String> same = new ArrayList<>();
        for (int i = 0; other.size() < OTHER_SET_RECEIVERS || same.size() < SAME_SET_RECEIVERS; i++) {
            String user = "r" + i;
            List<String> bucket = LAYOUT.setOfUser(user) == senderSet ? same : other;
            if (bucket.size() < (bucket == same ? SAME_SET_RECEIVERS : OTHER_SET_RECEIVERS)) {
                bucket.add(user);
            }
        }
        List<String> all = new ArrayList<>(other);
        all.addAll(same);
        return all;
    }

    private static long claimTransfersIn(StoreSets sets, Claim claim) {
        String transferId = Transfer.claimId(claim.packetId(), claim.seq());
        List<WalletEntry> entries = sets.forUser(claim.userId()).walletEntries(claim.userId(), null, 100);
        return entries.stream().filter(e -> e.transferId().equals(transferId)).count();
    }

    private static Map<String, String> setUp(RawApi admin, List<String> receivers) throws Exception {
        List<String> users = new ArrayList<>(receivers);
        users.add(SENDER);
        Map<String, String> tokens = admin.usersInGroup(GROUP, users);
        expect(admin.call("POST", "/v1/admin/users/" + SENDER + "/deposits", "{\"amount\":100000,\"reference\":\"it\"}"), 201);
        return tokens;
    }

    private static String sendLucky(RawApi sender, int count) throws Exception {
        String body = JSON.writeValueAsString(Map.of("kind", "GROUP_LUCKY", "groupId", GROUP, "total", TOTAL, "count", count));
        return expect(sender.call("POST", "/v1/packets", body), 201).get("id").asText();
    }

    /** Opens by every receiver at once; returns the acknowledged amounts (the crash may cut some answers off). */
    private static Map<String, Long> openConcurrently(RawApi admin, Map<String, String> tokens, List<String> receivers,
            String packetId) throws InterruptedException {
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String user : receivers) {
                pool.execute(() -> {
                    try {
                        HttpResponse<String> r = admin.as(tokens.get(user)).call("POST", "/v1/packets/" + packetId + "/open", null);
                        if (r.statusCode() == 200) {
                            acknowledged.put(user, JSON.readTree(r.body()).get("amount").asLong());
                        }
                    } catch (IOException cutOffByTheCrash) {
                        System.out.println("CrossSetCrashIT: open by " + user + " unanswered: " + cutOffByTheCrash);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
        }
        return acknowledged;
    }
}
