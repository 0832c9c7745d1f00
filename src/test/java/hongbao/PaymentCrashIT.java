package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.domain.Claim;
import hongbao.domain.PayStatus;
import hongbao.paysim.ProviderSimulator;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import hongbao.wiring.Stores;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import static hongbao.testing.RawApi.expect;
import hongbao.testing.TestStores;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process dies right after the payment notification commits (pay_status 1, the money in escrow, the
 * reconciler's job queued) and before any waiting claim is credited. After a restart the durable job credits every
 * claim exactly once, and the provider's retry of the unanswered notification changes nothing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PaymentCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "payment-crash-it-admin-key";
    private static final List<String> RECEIVERS = List.of("r0", "r1", "r2");
    private static final long TOTAL = 5_000;

    @TempDir
    Path dataDir;

    private final String storeSpec = TestStores.freshStoreSpec();
    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    @Test
    void aNotificationCommittedBeforeACrashIsCreditedAfterTheRestart() throws Exception {
        HongbaoProcess.Launcher launcher = new HongbaoProcess.Launcher(dataDir, storeSpec, ADMIN_KEY, List.of());
        HongbaoProcess first = launcher.withJvmFlags("-Dhongbao.failpoint=payment-notified").serve("first", started);
        RawApi admin = new RawApi(first.baseUrl, ADMIN_KEY);
        Map<String, String> tokens = setUp(admin);
        RawApi sender = admin.as(tokens.get("sender"));
        JsonNode sent = expect(sender.call("POST", "/v1/packets", JSON.writeValueAsString(Map.of("kind", "GROUP_LUCKY",
                "groupId", "g", "total", TOTAL, "count", 4, "payMethod", "THIRD_PARTY"))), 201);
        String packetId = sent.get("id").asText();
        String paymentId = sent.get("payment").get("paymentId").asText();
        expect(sender.call("POST", "/v1/packets/" + packetId + "/payment/client-confirm", null), 200);
        Map<String, Long> amounts = new LinkedHashMap<>();
        for (String user : RECEIVERS) {
            JsonNode opened = expect(admin.as(tokens.get(user)).call("POST", "/v1/packets/" + packetId + "/open", null), 200);
            assertThat(opened.get("credited").asBoolean()).isFalse();
            amounts.put(user, opened.get("amount").asLong());
        }

        ProviderSimulator provider = new ProviderSimulator(URI.create(first.baseUrl + "/v1/payments/notify"),
                HongbaoProcess.PROVIDER_KEY);
        List<ProviderSimulator.Notification> paid = List.of(new ProviderSimulator.Notification(paymentId, TOTAL, true));
        try {
            List<ProviderSimulator.Delivery> answered = provider.send(paid, ProviderSimulator.Options.ONCE);
            System.out.println("PaymentCrashIT: the notification was answered before the halt: " + answered);
        } catch (IOException cutOffByTheCrash) {
            System.out.println("PaymentCrashIT: the notification went unanswered: " + cutOffByTheCrash);
        }
        assertThat(first.process.waitFor(60, TimeUnit.SECONDS)).as("the failpoint stopped the server").isTrue();
        assertThat(first.process.exitValue()).as("exit code of the failpoint's halt\n%s", first.logTail()).isEqualTo(86);

        long id = Long.parseLong(packetId);
        try (StoreSets sets = Stores.openSets(storeSpec, dataDir, 64, 31)) {
            StoredPacket stored = sets.forPacket(id).packet(id).orElseThrow();
            assertThat(stored.packet().payStatus()).as("the notification committed").isEqualTo(PayStatus.SERVER_CONFIRMED);
            assertThat(stored.claims()).hasSize(RECEIVERS.size()).noneMatch(Claim::credited);
            List<ReconcileJob> jobs = sets.forPacket(id).dueJobs(Instant.now().plusSeconds(3600), 10);
            assertThat(jobs).as("the reconciler's durable job").extracting(ReconcileJob::packetId).containsExactly(id);
        }

        HongbaoProcess second = launcher.serve("second", started);
        RawApi restarted = new RawApi(second.baseUrl, ADMIN_KEY);
        for (Map.Entry<String, Long> claim : amounts.entrySet()) {
            JsonNode wallet = expect(restarted.as(tokens.get(claim.getKey())).call("GET", "/v1/wallet", null), 200);
            assertThat(wallet.get("balance").asLong()).as("wallet of %s after restart", claim.getKey()).isEqualTo(claim.getValue());
        }
        ProviderSimulator retrying = new ProviderSimulator(URI.create(second.baseUrl + "/v1/payments/notify"),
                HongbaoProcess.PROVIDER_KEY);
        assertThat(retrying.send(paid, ProviderSimulator.Options.ONCE.withCopies(2)))
                .allSatisfy(d -> assertThat(d.returnCode()).isEqualTo("SUCCESS"));
        for (Map.Entry<String, Long> claim : amounts.entrySet()) {
            JsonNode wallet = expect(restarted.as(tokens.get(claim.getKey())).call("GET", "/v1/wallet", null), 200);
            assertThat(wallet.get("balance").asLong()).as("wallet of %s after the provider's retries", claim.getKey())
                    .isEqualTo(claim.getValue());
        }
        JsonNode audit = expect(restarted.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as("audit after restart: %s", audit).isEmpty();
        assertThat(audit.get("external").asLong()).isEqualTo(-TOTAL);

        second.process.destroy();
        assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        HongbaoProcess.Finished offline = launcher.audit(started);
        assertThat(offline.exitCode()).as("audit subcommand: %s", offline.output()).isZero();
    }

    private static Map<String, String> setUp(RawApi admin) throws Exception {
        List<String> users = new ArrayList<>(RECEIVERS);
        users.add("sender");
        return admin.usersInGroup("g", users);
    }
}
