package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import hongbao.testing.TestStores;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup} of a live two-SET store while packets are sent and opened across SETs: every copy audits balanced
 * (taken one SET after the other, one SET's copy held credits the other's did not know it had sent, 3 times in 3),
 * and the last one restores and audits balanced.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LiveMultiSetBackupIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "live-multi-set-backup-admin-key";
    private static final String GROUP = "two-set-group";
    private static final int USERS = 40;
    private static final int SENDERS = 8;
    private static final int SHARES = 4;
    private static final int BACKUPS = 3;

    @TempDir
    Path work;

    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    @Test
    void everyBackupOfALiveTwoSetStoreBalancesAndRestores() throws Exception {
        assumeFalse(TestStores.postgres(), "backup and restore cover the SQLite store");
        HongbaoProcess.Launcher live = new HongbaoProcess.Launcher(work.resolve("data"), "sqlite,sqlite", ADMIN_KEY, List.of());
        HongbaoProcess server = live.serve("live", started);
        RawApi admin = new RawApi(server.baseUrl, ADMIN_KEY);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(String.format("m%03d", i));
        }
        Map<String, String> tokens = admin.usersInGroup(GROUP, users);
        for (int s = 0; s < SENDERS; s++) {
            expect(admin.call("POST", "/v1/admin/users/" + users.get(s) + "/deposits",
                    "{\"amount\":100000000,\"reference\":\"live-funds-" + s + "\"}"), 201);
        }

        // Each client sends a small packet and has others (in both SETs) open it, over and over: credits keep
        // crossing between the SETs for as long as the backups take.
        AtomicBoolean storming = new AtomicBoolean(true);
        AtomicInteger opened = new AtomicInteger();
        CountDownLatch warmedUp = new CountDownLatch(50);
        RawApi storm = admin.freshClient();
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            clients.add(pool.submit(() -> {
                RawApi sending = storm.as(tokens.get(users.get(sender)));
                for (int round = 0; storming.get(); round++) {
                    String packet = sending.sendLuckyPackets(GROUP, 1, 400, SHARES).getFirst();
                    for (int share = 0; share < SHARES; share++) {
                        String user = users.get(SENDERS + (sender * 7 + round * SHARES + share) % (USERS - SENDERS));
                        HttpResponse<String> r = storm.as(tokens.get(user)).call("POST", "/v1/packets/" + packet + "/open", null);
                        if (r.statusCode() == 200) {
                            opened.incrementAndGet();
                            warmedUp.countDown();
                        }
                    }
                }
                return null;
            }));
        }
        assertThat(warmedUp.await(60, TimeUnit.SECONDS)).as("opens before the first backup").isTrue();
        List<JsonNode> manifests = new ArrayList<>();
        for (int b = 1; b <= BACKUPS; b++) {
            Path to = work.resolve("backup-" + b);
            int before = opened.get();
            HongbaoProcess.Finished backedUp = HongbaoProcess.run(live, work, 120, "backup", "--to", to.toString());
            System.out.printf("LiveMultiSetBackupIT: backup %d taken while %d opens were acknowledged; exit %d%n", b,
                    opened.get() - before, backedUp.exitCode());
            assertThat(backedUp.exitCode()).as("backup %d: %s", b, backedUp.output()).isZero();
            manifests.add(JSON.readTree(Files.readString(to.resolve("backup.json"))));
        }
        storming.set(false);
        for (var client : clients) {
            client.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        for (JsonNode manifest : manifests) {
            assertThat(manifest.get("balanced").asBoolean()).as(manifest.toString()).isTrue();
            assertThat(manifest.get("sets")).hasSize(2);
        }

        Path restored = work.resolve("restored");
        HongbaoProcess.Launcher fromBackup = new HongbaoProcess.Launcher(restored, "sqlite,sqlite", ADMIN_KEY, List.of());
        HongbaoProcess.Finished restoredRun = HongbaoProcess.run(fromBackup, work, 120, "restore", "--from",
                work.resolve("backup-" + BACKUPS).toString());
        assertThat(restoredRun.exitCode()).as(restoredRun.output()).isZero();
        HongbaoProcess.Finished audit = fromBackup.audit(started);
        assertThat(audit.exitCode()).as(audit.output()).isZero();
    }
}
