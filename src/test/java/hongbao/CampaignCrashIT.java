package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.TransferKind;
import hongbao.store.merchants.CampaignTotals;
import hongbao.store.StoreSets;
import hongbao.wiring.Stores;
import hongbao.store.ledger.WalletEntry;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import hongbao.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 entrants, a budget for 1,000 wins. A first server takes the entries (its dispatcher idle) and is killed; a
 * second one dispatches and halts in its third batch, after that batch's packets committed and before its wins are
 * marked paid; a third one finishes. Exactly the budget is paid, to 1,000 different users, one packet each.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CampaignCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "campaign-crash-it-admin-key";
    private static final String MCH = "1900000109";
    private static final String WALLET = "mch." + MCH;
    private static final String CAMPAIGN = "crash";
    private static final int ENTRANTS = 10_000;
    private static final int WINS = 1_000;
    private static final long AMOUNT = 100;
    private static final long BUDGET = WINS * AMOUNT;
    private static final long DEPOSIT = 250_000;
    private static final int BATCH = 200;
    private static final int CHUNK = 1_000;

    @TempDir
    Path dataDir;

    private final String storeSpec = TestStores.freshStoreSpec();
    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    @Test
    void aDispatcherKilledMidRunPaysExactlyTheBudgetOncePerWinner() throws Exception {
        long began = System.nanoTime();
        HongbaoProcess.Launcher launcher = new HongbaoProcess.Launcher(dataDir, storeSpec, ADMIN_KEY, List.of(),
                Map.of("HONGBAO_MAX_BODY_BYTES", "262144", "HONGBAO_CAMPAIGN_DISPATCH_BATCH", Integer.toString(BATCH),
                        "HONGBAO_CAMPAIGN_DISPATCH_INTERVAL_MS", "200"));

        HongbaoProcess entries = launcher.withEnv(Map.of("HONGBAO_CAMPAIGN_DISPATCH_INTERVAL_MS", "3600000"))
                .serve("entries", started);
        RawApi admin = new RawApi(entries.baseUrl, ADMIN_KEY);
        setUp(admin);
        int won = enterEveryone(admin);
        assertThat(won).isEqualTo(WINS);
        JsonNode beforeDispatch = status(admin);
        assertThat(beforeDispatch.get("pendingWins").asInt()).isEqualTo(WINS);
        assertThat(beforeDispatch.get("remaining").asLong()).isZero();
        entries.process.destroyForcibly();
        assertThat(entries.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.printf("CampaignCrashIT: %d entrants entered in %d ms%n", ENTRANTS, millisSince(began));

        long dispatchStarted = System.nanoTime();
        HongbaoProcess crashing = launcher.withJvmFlags("-Dhongbao.failpoint=campaign-batch-sent",
                "-Dhongbao.failpoint.pass=2").launch("crashing", started);
        assertThat(crashing.process.waitFor(60, TimeUnit.SECONDS)).as("the failpoint stopped the dispatcher").isTrue();
        assertThat(crashing.process.exitValue()).as("exit code of the failpoint's halt\n%s", crashing.logTail()).isEqualTo(86);
        try (StoreSets sets = Stores.openSets(storeSpec, dataDir, 64, 31)) {
            CampaignTotals totals = sets.forUser(WALLET).campaignTotals(MCH, CAMPAIGN);
            assertThat(totals.paidWins()).as("two batches marked paid").isEqualTo(2 * BATCH);
            assertThat(sets.forUser(WALLET).balance(hongbao.domain.Accounts.wallet(WALLET)))
                    .as("three batches of packets committed").isEqualTo(DEPOSIT - 3 * BATCH * AMOUNT);
        }

        HongbaoProcess finishing = launcher.serve("finishing", started);
        RawApi restarted = new RawApi(finishing.baseUrl, ADMIN_KEY);
        JsonNode done = awaitAllPaid(restarted);
        System.out.printf("CampaignCrashIT: %d wins paid across the crash in %d ms (both restarts included)%n", WINS,
                millisSince(dispatchStarted));
        assertThat(done.get("paidWins").asInt()).isEqualTo(WINS);
        assertThat(done.get("paidAmount").asLong()).isEqualTo(BUDGET);
        assertThat(done.get("pendingWins").asInt()).isZero();
        assertThat(expect(restarted.call("GET", "/v1/admin/merchants/" + MCH, null), 200).get("balance").asLong())
                .as("the merchant's wallet paid exactly the budget").isEqualTo(DEPOSIT - BUDGET);
        JsonNode audit = expect(restarted.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as("audit: %s", audit).isEmpty();

        finishing.process.destroy();
        assertThat(finishing.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertOnePacketPerWinner();
        HongbaoProcess.Finished offline = launcher.audit(started);
        assertThat(offline.exitCode()).as("audit subcommand: %s", offline.output()).isZero();
        System.out.printf("CampaignCrashIT: whole run %d ms%n", millisSince(began));
    }

    private void setUp(RawApi admin) throws Exception {
        expect(admin.call("POST", "/v1/admin/merchants", JSON.writeValueAsString(Map.of("mchId", MCH, "name", "Crash Co",
                "apiKey", "192006250b4c09247ec02edce69f6a2d", "wxappid", "wxcrashtest0001"))), 201);
        expect(admin.call("POST", "/v1/admin/users/" + WALLET + "/deposits", JSON.writeValueAsString(Map.of("amount", DEPOSIT,
                "reference", "crash-topup"))), 201);
        for (int from = 0; from < ENTRANTS; from += CHUNK) {
            List<Map<String, String>> users = new ArrayList<>();
            List<Map<String, String>> bindings = new ArrayList<>();
            for (int i = from; i < from + CHUNK; i++) {
                users.add(Map.of("userId", user(i), "name", user(i)));
                bindings.add(Map.of("openid", openid(i), "userId", user(i)));
            }
            expect(admin.call("POST", "/v1/admin/user-batches", JSON.writeValueAsString(Map.of("users", users))), 200);
            expect(admin.call("POST", "/v1/admin/merchants/" + MCH + "/openid-batches",
                    JSON.writeValueAsString(Map.of("bindings", bindings))), 200);
        }
        Instant now = Instant.now();
        Map<String, Object> campaign = new LinkedHashMap<>();
        campaign.put("campaignId", CAMPAIGN);
        campaign.put("name", "Crash test");
        campaign.put("wishing", "恭喜发财");
        campaign.put("budget", BUDGET);
        campaign.put("amountMin", AMOUNT);
        campaign.put("amountMax", AMOUNT);
        campaign.put("startsAt", now.minusSeconds(60).toString());
        campaign.put("endsAt", now.plus(Duration.ofHours(1)).toString());
        expect(admin.call("POST", "/v1/admin/merchants/" + MCH + "/campaigns", JSON.writeValueAsString(campaign)), 201);
    }

    /** Enters every entrant once; returns how many won. */
    private static int enterEveryone(RawApi admin) throws Exception {
        Map<String, Integer> outcomes = new HashMap<>();
        for (int from = 0; from < ENTRANTS; from += CHUNK) {
            List<String> openids = new ArrayList<>();
            for (int i = from; i < from + CHUNK; i++) {
                openids.add(openid(i));
            }
            JsonNode answer = expect(admin.call("POST", "/v1/admin/merchants/" + MCH + "/campaigns/" + CAMPAIGN + "/entries",
                    JSON.writeValueAsString(Map.of("openids", openids))), 200);
            for (JsonNode entry : answer.get("entries")) {
                outcomes.merge(entry.get("result").asText(), 1, Integer::sum);
            }
        }
        assertThat(outcomes).containsOnlyKeys("WON", "BUDGET_EXHAUSTED");
        assertThat(outcomes.get("BUDGET_EXHAUSTED")).isEqualTo(ENTRANTS - WINS);
        return outcomes.get("WON");
    }

    private static JsonNode status(RawApi admin) throws Exception {
        return expect(admin.call("GET", "/v1/admin/merchants/" + MCH + "/campaigns/" + CAMPAIGN, null), 200);
    }

    /** Polls the campaign's status until every win is paid, or fails after a minute. */
    private static JsonNode awaitAllPaid(RawApi admin) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode status = status(admin);
        while (status.get("paidWins").asInt() < WINS) {
            assertThat(Instant.now()).as("all wins paid by the deadline; last status %s", status).isBefore(deadline);
            Thread.sleep(100);
            status = status(admin);
        }
        return status;
    }

    /** Offline, from the stores: 1,000 paid wins of distinct users, each with its own packet, and no other packet. */
    private void assertOnePacketPerWinner() {
        try (StoreSets sets = Stores.openSets(storeSpec, dataDir, 64, 31)) {
            List<CampaignWin> wins = sets.forUser(WALLET).campaignWins(MCH, CAMPAIGN, null, 2 * WINS);
            assertThat(wins).hasSize(WINS).allSatisfy(win -> assertThat(win.state()).isEqualTo(CampaignWin.State.PAID));
            assertThat(wins.stream().map(CampaignWin::userId).distinct()).hasSize(WINS);
            Map<Long, String> winnerByPacket = wins.stream().collect(Collectors.toMap(CampaignWin::packetId,
                    CampaignWin::userId));
            assertThat(winnerByPacket).hasSize(WINS);
            for (Map.Entry<Long, String> paid : winnerByPacket.entrySet()) {
                Packet packet = sets.forPacket(paid.getKey()).packet(paid.getKey()).orElseThrow().packet();
                assertThat(packet.kind()).isEqualTo(PacketKind.PERSONAL);
                assertThat(packet.senderId()).isEqualTo(WALLET);
                assertThat(packet.toUserId()).isEqualTo(paid.getValue());
                assertThat(packet.total()).isEqualTo(AMOUNT);
            }
            List<WalletEntry> sends = sets.forUser(WALLET).walletEntries(WALLET, null, 3 * WINS).stream()
                    .filter(entry -> entry.kind() == TransferKind.SEND).toList();
            assertThat(sends).as("the merchant sent no packet but the winners'").hasSize(WINS);
            assertThat(sends.stream().map(WalletEntry::packetId).collect(Collectors.toSet()))
                    .isEqualTo(Set.copyOf(winnerByPacket.keySet()));
            assertThat(sets.forUser(WALLET).answer(Campaign.answerScope(MCH, CAMPAIGN), wins.get(0).userId())).isPresent();
        }
    }

    private static String user(int i) {
        return String.format("e%05d", i);
    }

    private static String openid(int i) {
        return String.format("oE%05d", i);
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
