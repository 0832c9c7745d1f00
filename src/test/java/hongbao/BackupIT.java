package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backup} in the middle of an open storm, {@code restore} into a new directory, a service started on it: the
 * audit balances and every open acknowledged before the backup began is there, with its amount.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BackupIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "backup-it-admin-key-0001";
    private static final String GROUP = "backup-group";
    private static final int USERS = 100;
    private static final int PACKETS = 8;
    private static final int CLIENTS = 32;

    @TempDir
    Path work;

    private final List<HongbaoProcess> started = new ArrayList<>();

    record Ack(String packetId, String userId, long amount) {
    }

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    @Test
    void aBackupTakenMidStormRestoresWithEveryOpenAcknowledgedBeforeIt() throws Exception {
        Path data = work.resolve("data");
        Path backup = work.resolve("backup");
        Path restored = work.resolve("restored");
        HongbaoProcess.Launcher live = new HongbaoProcess.Launcher(data, null, ADMIN_KEY, List.of());
        HongbaoProcess server = live.serve("live", started);
        RawApi admin = new RawApi(server.baseUrl, ADMIN_KEY);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(String.format("b%03d", i));
        }
        users.add("sender");
        Map<String, String> tokens = admin.usersInGroup(GROUP, users);
        expect(admin.call("POST", "/v1/admin/users/sender/deposits", "{\"amount\":10000000,\"reference\":\"backup-funds\"}"), 201);
        RawApi sender = admin.as(tokens.get("sender"));
        List<String> packets = sender.sendLuckyPackets(GROUP, PACKETS, 30_000, USERS);

        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicBoolean storming = new AtomicBoolean(true);
        CountDownLatch warmedUp = new CountDownLatch(100);
        RawApi storm = admin.freshClient();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            int offset = client;
            pool.execute(() -> {
                for (int n = offset; n < PACKETS * USERS && storming.get(); n += CLIENTS) {
                    String packetId = packets.get(n % PACKETS);
                    String user = users.get(n / PACKETS);
                    try {
                        HttpResponse<String> r = storm.as(tokens.get(user)).call("POST", "/v1/packets/" + packetId + "/open", null);
                        if (r.statusCode() == 200) {
                            acks.add(new Ack(packetId, user, JSON.readTree(r.body()).get("amount").asLong()));
                            warmedUp.countDown();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException("open failed while the service was up", e);
                    }
                }
            });
        }
        assertThat(warmedUp.await(60, TimeUnit.SECONDS)).as("100 opens before the backup").isTrue();
        List<Ack> beforeBackup = new ArrayList<>(acks);
        long backupStarted = System.nanoTime();
        HongbaoProcess.Finished backedUp = HongbaoProcess.run(live, work, 120, "backup", "--to", backup.toString());
        long backupMillis = (System.nanoTime() - backupStarted) / 1_000_000;
        int acksDuringBackup = acks.size() - beforeBackup.size();
        storming.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

        assertThat(backedUp.exitCode()).as(backedUp.output()).isZero();
        JsonNode manifest = JSON.readTree(Files.readString(backup.resolve("backup.json")));
        assertThat(manifest.get("balanced").asBoolean()).isTrue();
        long claimsInBackup = manifest.get("sets").get(0).get("claims").asLong();
        assertThat(claimsInBackup).isGreaterThanOrEqualTo(beforeBackup.size());

        HongbaoProcess.Launcher fromBackup = new HongbaoProcess.Launcher(restored, null, ADMIN_KEY, List.of());
        HongbaoProcess.Finished restoredRun = HongbaoProcess.run(fromBackup, work, 120, "restore", "--from", backup.toString());
        assertThat(restoredRun.exitCode()).as(restoredRun.output()).isZero();
        server.process.destroy();
        HongbaoProcess second = fromBackup.serve("restored", started);
        RawApi after = new RawApi(second.baseUrl, ADMIN_KEY);
        for (Ack ack : beforeBackup) {
            JsonNode view = expect(after.as(tokens.get(ack.userId())).call("GET", "/v1/packets/" + ack.packetId(), null), 200);
            assertThat(view.path("myClaim").path("amount").asLong()).as("%s", ack).isEqualTo(ack.amount());
        }
        JsonNode audit = expect(after.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as(audit.toString()).isEmpty();
        System.out.printf("BackupIT: backup of %d claims (%d acknowledged before it began, %d during it) in %d ms, "
                + "%d bytes; restored and audited balanced%n", claimsInBackup, beforeBackup.size(), acksDuringBackup,
                backupMillis, manifest.get("sets").get(0).get("bytes").asLong());
    }
}
