package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

import hongbao.app.SetsAudit;
import hongbao.domain.Accounts;
import hongbao.domain.AuditReport;
import hongbao.cluster.Ownership;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import hongbao.wiring.Stores;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import hongbao.testing.TestStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the fence is for: an owner that missed its takeover (paused past its lease, or cut off while a successor took
 * the SET with --take-over) and goes on serving as if it still owned the SET. Its lease renewal is minutes away here,
 * so nothing but the fence stands between its requests and the SET's database: a stale owner's open and deposit must
 * commit nothing, while the new owner's state (balances, the packet's shares) stays the only one; its first write
 * refused by the fence stops it (exit 3).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StaleOwnerIT {
    private static final String ADMIN_KEY = "stale-owner-admin-key";
    private static final String TOKEN_SECRET = "stale-owner-token-secret-shared-by-both-nodes";
    private static final int SHARDS = 8;
    /** The stale owner renews every third of this: never during the test. */
    private static final String LONG_LEASE_SECONDS = "600";

    @TempDir
    Path dir;

    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    @Test
    void aStaleOwnerCommitsNothingAfterATakeover() throws Exception {
        String storeSpec = TestStores.freshPostgresUrl();
        HongbaoProcess stale = node("stale", storeSpec, false).serve("stale-owner", started);
        RawApi staleAdmin = new RawApi(stale.baseUrl, ADMIN_KEY);
        Map<String, String> tokens = staleAdmin.usersInGroup("g", List.of("sender", "early", "late"));
        expect(staleAdmin.call("POST", "/v1/admin/users/sender/deposits", "{\"amount\":10000,\"reference\":\"bank-1\"}"), 201);
        String packet = staleAdmin.as(tokens.get("sender")).sendLuckyPackets("g", 1, 3_000, 2).getFirst();
        long earlyShare = expect(staleAdmin.as(tokens.get("early")).call("POST", "/v1/packets/" + packet + "/open", null), 200)
                .get("amount").asLong();

        HongbaoProcess successor = node("successor", storeSpec, true).serve("successor", started);
        RawApi successorAdmin = new RawApi(successor.baseUrl, ADMIN_KEY);

        // The stale owner's first write refused by the fence stops it (exit 3), so the second may find it gone.
        String staleOpen = staleAdmin.as(tokens.get("late")).outcome("POST", "/v1/packets/" + packet + "/open", null);
        assertThat(staleOpen).as("an open on the stale owner").doesNotStartWith("200");
        String staleDeposit = staleAdmin.outcome("POST", "/v1/admin/users/sender/deposits",
                "{\"amount\":500,\"reference\":\"bank-stale\"}");
        assertThat(staleDeposit).as("a deposit on the stale owner").doesNotStartWith("201");
        assertThat(stale.process.waitFor(60, TimeUnit.SECONDS)).as("the fenced owner stops\n%s", stale.logTail()).isTrue();
        assertThat(stale.process.exitValue()).as("its exit status\n%s", stale.logTail()).isEqualTo(3);

        // The successor gives the last share to the user whose open the stale owner could not have taken.
        long lateShare = expect(successorAdmin.as(tokens.get("late")).call("POST", "/v1/packets/" + packet + "/open", null), 200)
                .get("amount").asLong();
        assertThat(earlyShare + lateShare).isEqualTo(3_000);
        HongbaoProcess.destroyAll(started);
        try (StoreSets sets = Stores.openSets(storeSpec, dir, SHARDS, 31, Ownership.none())) {
            assertThat(sets.forUser("sender").balance(Accounts.wallet("sender"))).as("the sender's wallet")
                    .isEqualTo(10_000 - 3_000);
            StoredPacket stored = sets.forPacket(Long.parseLong(packet)).packet(Long.parseLong(packet)).orElseThrow();
            assertThat(stored.claims()).as("claims of the packet").hasSize(2);
            AuditReport report = SetsAudit.run(sets, Instant.now());
            assertThat(report.problems()).as("audit").isEmpty();
        }
    }

    private HongbaoProcess.Launcher node(String name, String storeSpec, boolean takeOver) throws IOException {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        Files.writeString(data.resolve("token.secret"), TOKEN_SECRET + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return new HongbaoProcess.Launcher(data, storeSpec, ADMIN_KEY, List.of()).withEnv(Map.of(
                "HONGBAO_PORT", Integer.toString(port),
                "HONGBAO_OWN", "0",
                "HONGBAO_NODE_URL", "http://127.0.0.1:" + port,
                "HONGBAO_TAKE_OVER", Boolean.toString(takeOver),
                "HONGBAO_LEASE_SECONDS", LONG_LEASE_SECONDS,
                "HONGBAO_SHARDS", Integer.toString(SHARDS)));
    }
}
