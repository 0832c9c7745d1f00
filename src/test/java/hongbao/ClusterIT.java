package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.app.SetsAudit;
import hongbao.domain.AuditReport;
import hongbao.domain.Claim;
import hongbao.domain.SetLayout;
import hongbao.cluster.Ownership;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import hongbao.wiring.Stores;
import hongbao.testing.ClusterNginx;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import hongbao.testing.Required;
import hongbao.testing.TestStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node processes, each owning one PostgreSQL SET, behind Debian's nginx with the map {@code cluster-nginx}
 * prints. A storm of sends and opens goes through nginx; the owner of SET 1 is killed with SIGKILL mid-storm and a
 * fourth process takes SET 1 over while nginx still sends SET 1's packets to the dead node's address (its backups
 * pass them on). The old node restarted with its old command line waits for the lease instead of writing. Then the
 * new owner is paused (SIGSTOP) mid-storm, for less than its lease, and the old node takes SET 1 back with
 * --take-over (which does not wait for a lease to run out). The paused one, let go, is sure it still owns SET 1: only
 * the fence stands between it and the database. Its writes (the storm's opens it held, and a deposit and an open sent
 * to it directly) commit nothing, and its first refused write stops it (exit 3). Every acknowledged open is found
 * afterwards, every SET and every pair of SETs audits clean, and no money was created.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ClusterIT {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final String ADMIN_KEY = "cluster-it-admin-key";
    private static final String TOKEN_SECRET = "cluster-it-token-secret-shared-by-every-node";
    private static final int SHARDS = 64;
    private static final int SETS = 3;
    private static final SetLayout LAYOUT = new SetLayout(SHARDS, SETS);
    private static final int RECEIVERS = 40;
    private static final int PACKETS_PER_SENDER = 6;
    private static final long SHARE_TOTAL = 4_000;
    private static final String GROUP = "cluster-group";
    private static final Duration GIVE_UP = Duration.ofSeconds(90);
    /** Nodes renew every third of it: a lost lease is found within a second. */
    private static final int SHORT_LEASE_SECONDS = 3;
    /** The node paused in storm 2 sleeps for less than this: it wakes sure of its lease, which it never renews here. */
    private static final int LONG_LEASE_SECONDS = 600;
    /** A member of the group who opens only on the stale owner. */
    private static final String LATECOMER = "latecomer";

    @TempDir
    Path dir;

    private final List<HongbaoProcess> started = new ArrayList<>();
    private ClusterNginx nginx;
    private String storeSpec;
    private final int[] ports = new int[4];

    @AfterEach
    void stopEverything() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void aKilledNodesSetIsTakenOverAndAPausedOwnerIsFenced() throws Exception {
        assumeTrue(TestStores.postgres(), "a cluster's SETs are PostgreSQL databases: runs with the PostgreSQL half (pom.xml "
                + "runs it there alone)");
        Required.tool(ClusterNginx.installed(), "Debian's nginx is not installed (.ci/run installs it): skipped");
        List<String> urls = new ArrayList<>();
        for (int set = 0; set < SETS; set++) {
            urls.add(TestStores.freshPostgresUrl());
        }
        storeSpec = String.join(",", urls);
        for (int i = 0; i < ports.length; i++) {
            ports[i] = freePort();
        }
        HongbaoProcess a = node("a", 0, 0, false, SHORT_LEASE_SECONDS).serve("node-a", started);
        HongbaoProcess b = node("b", 1, 1, false, SHORT_LEASE_SECONDS).serve("node-b", started);
        HongbaoProcess c = node("c", 2, 2, false, SHORT_LEASE_SECONDS).serve("node-c", started);
        nginx = ClusterNginx.start(dir, new HongbaoProcess.Launcher(dir, storeSpec, ADMIN_KEY, List.of()), SHARDS, SETS,
                ports[0], ports[1], ports[2]);
        RawApi proxy = new RawApi(nginx.baseUrl, ADMIN_KEY);

        List<String> senders = senders();
        List<String> receivers = receivers();
        Map<String, String> tokens = setUp(proxy, senders, receivers);

        // Storm 1: SET 1's owner dies mid-storm; a new process takes SET 1 over; nginx's map still names the dead one.
        Storm first = new Storm(proxy, tokens, receivers);
        List<String> packets = first.sendAll(senders);
        first.start(packets);
        first.awaitAcknowledged(packets.size() * RECEIVERS / 3);
        b.process.destroyForcibly();
        assertThat(b.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        int acknowledgedBeforeKill = first.acknowledged.get();
        HongbaoProcess d = node("d", 3, 1, true, LONG_LEASE_SECONDS).serve("node-d", started);
        first.finish();
        String setOnePacket = packets.stream().filter(id -> LAYOUT.setOfPacket(Long.parseLong(id)) == 1).findFirst().orElseThrow();
        JsonNode viewThroughStaleMap = expect(proxy.as(tokens.get(receivers.get(0))).call("GET", "/v1/packets/" + setOnePacket, null), 200);
        assertThat(viewThroughStaleMap.get("id").asText()).as("a SET 1 packet through nginx's stale map").isEqualTo(setOnePacket);
        assertThat(passedOn(a, 1) + passedOn(c, 1)).as("requests for SET 1 the dead owner's backups passed on").isPositive();

        // The old node, restarted with its old command line, finds SET 1 held and waits rather than write.
        HongbaoProcess restarted = node("b", 1, 1, false, SHORT_LEASE_SECONDS).launch("node-b-restarted", started);
        restarted.awaitLine(line -> line.contains("waiting for its lease to expire"), Duration.ofSeconds(60));
        restarted.process.destroyForcibly();
        restarted.process.waitFor(20, TimeUnit.SECONDS);

        // Storm 2: the new owner is paused mid-storm, the old node takes SET 1 back, the paused one wakes up fenced.
        Storm second = new Storm(proxy, tokens, receivers);
        List<String> morePackets = second.sendAll(senders);
        second.start(morePackets);
        second.awaitAcknowledged(morePackets.size() * RECEIVERS / 4);
        signal("STOP", d.process);
        HongbaoProcess back = node("b", 1, 1, true, SHORT_LEASE_SECONDS).serve("node-b-back", started);
        signal("CONT", d.process);
        // Awake, d answers as SET 1's owner: the storm's opens it held, and these, are refused by the fence alone.
        String sender = senders.stream().filter(user -> LAYOUT.setOfUser(user) == 1).findFirst().orElseThrow();
        String staleDeposit = new RawApi(d.baseUrl, ADMIN_KEY).outcome("POST", "/v1/admin/users/" + sender + "/deposits",
                json(Map.of("amount", 500, "reference", "bank-stale")));
        String setOneLater = morePackets.stream().filter(id -> LAYOUT.setOfPacket(Long.parseLong(id)) == 1).findFirst().orElseThrow();
        String staleOpen = new RawApi(d.baseUrl, ADMIN_KEY).as(tokens.get(LATECOMER)).outcome("POST",
                "/v1/packets/" + setOneLater + "/open", null);
        assertThat(staleDeposit).as("a deposit on the stale owner").doesNotStartWith("201");
        assertThat(staleOpen).as("an open on the stale owner").doesNotStartWith("200");
        assertThat(d.process.waitFor(60, TimeUnit.SECONDS)).as("the fenced node stops\n%s", d.logTail()).isTrue();
        assertThat(d.process.exitValue()).as("exit status of a node whose SET was taken over\n%s", d.logTail()).isEqualTo(3);
        assertThat(d.logTail()).as("what stopped the node, whose lease renewal is minutes away")
                .contains("the fence refused a write of this node");
        second.finish();

        // Crash-only: the nodes are killed, and one node over every SET settles what they left (journal, outboxes)
        // before it listens.
        HongbaoProcess.destroyAll(started);
        HongbaoProcess whole = new HongbaoProcess.Launcher(dir.resolve("a"), storeSpec, ADMIN_KEY, List.of())
                .withEnv(Map.of("HONGBAO_SHARDS", Integer.toString(SHARDS))).serve("one-node", started);
        JsonNode audit = expect(new RawApi(whole.baseUrl, ADMIN_KEY).call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as("audit by one node over every SET: %s", audit).isEmpty();
        whole.process.destroy();
        assertThat(whole.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        int found = 0;
        long deposited = (long) senders.size() * deposit();
        try (StoreSets sets = Stores.openSets(storeSpec, dir, SHARDS, 31, Ownership.none())) {
            for (Storm storm : List.of(first, second)) {
                for (Map.Entry<String, Map<String, Long>> packet : storm.acks.entrySet()) {
                    long id = Long.parseLong(packet.getKey());
                    List<Claim> claims = sets.forPacket(id).packet(id).map(StoredPacket::claims).orElseThrow();
                    for (Map.Entry<String, Long> ack : packet.getValue().entrySet()) {
                        assertThat(claims).as("acknowledged open of %s on %s", ack.getKey(), id)
                                .anyMatch(claim -> claim.userId().equals(ack.getKey()) && claim.amount() == ack.getValue());
                        found++;
                    }
                }
            }
            long latecomerClaims = second.acks.keySet().stream().map(Long::parseLong)
                    .flatMap(id -> sets.forPacket(id).packet(id).map(StoredPacket::claims).orElseThrow().stream())
                    .filter(claim -> claim.userId().equals(LATECOMER)).count();
            assertThat(latecomerClaims).as("claims of the user who opened only on the stale owner").isZero();
            AuditReport report = SetsAudit.run(sets, Instant.now());
            assertThat(report.problems()).as("audit of every SET and every pair of SETs").isEmpty();
            long created = report.totalUserBalance() + report.escrow() - deposited;
            assertThat(created).as("money created").isZero();
            int acknowledged = first.acknowledged.get() + second.acknowledged.get();
            assertThat(found).isEqualTo(acknowledged);
            System.out.printf("ClusterIT: %d opens acknowledged before the kill, %d acknowledged in all, %d found after; "
                    + "money created: %d fen; audit %s%n", acknowledgedBeforeKill, acknowledged, found, created, audit.get("balanced"));
        }
    }

    /** A node owning one SET on its own port and data directory; every node shares the secrets. */
    private HongbaoProcess.Launcher node(String name, int portIndex, int set, boolean takeOver, int leaseSeconds)
            throws IOException {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        Files.writeString(data.resolve("token.secret"), TOKEN_SECRET + "\n");
        return new HongbaoProcess.Launcher(data, storeSpec, ADMIN_KEY, List.of()).withEnv(Map.of(
                "HONGBAO_PORT", Integer.toString(ports[portIndex]),
                "HONGBAO_OWN", Integer.toString(set),
                "HONGBAO_NODE_URL", "http://127.0.0.1:" + ports[portIndex],
                "HONGBAO_TAKE_OVER", Boolean.toString(takeOver),
                "HONGBAO_LEASE_SECONDS", Integer.toString(leaseSeconds),
                "HONGBAO_SHARDS", Integer.toString(SHARDS)));
    }

    /** One sender whose wallet is in each SET, so that packets live in every SET. */
    private static List<String> senders() {
        List<String> senders = new ArrayList<>();
        for (int set = 0; set < SETS; set++) {
            for (int i = 0; ; i++) {
                if (LAYOUT.setOfUser("sender-" + set + "-" + i) == set) {
                    senders.add("sender-" + set + "-" + i);
                    break;
                }
            }
        }
        return senders;
    }

    private static List<String> receivers() {
        List<String> receivers = new ArrayList<>();
        for (int i = 0; i < RECEIVERS; i++) {
            receivers.add("receiver-" + i);
        }
        return receivers;
    }

    private static long deposit() {
        return 2 * PACKETS_PER_SENDER * SHARE_TOTAL;
    }

    /** Users, the group and the senders' money, all through nginx; returns each user's token. */
    private static Map<String, String> setUp(RawApi proxy, List<String> senders, List<String> receivers) throws Exception {
        List<String> everyone = new ArrayList<>(senders);
        everyone.addAll(receivers);
        everyone.add(LATECOMER);
        Map<String, String> tokens = new ConcurrentHashMap<>();
        for (String user : everyone) {
            expect(proxy.call("POST", "/v1/admin/users", json(Map.of("userId", user, "name", user))), 201);
        }
        expect(proxy.call("POST", "/v1/admin/groups", json(Map.of("groupId", GROUP, "name", GROUP, "members", everyone))), 201);
        for (String user : everyone) {
            tokens.put(user, expect(proxy.call("POST", "/v1/admin/users/" + user + "/tokens", json(Map.of())), 201).get("token").asText());
        }
        for (String sender : senders) {
            expect(proxy.call("POST", "/v1/admin/users/" + sender + "/deposits",
                    json(Map.of("amount", deposit(), "reference", "bank-" + sender))), 201);
        }
        return tokens;
    }

    private static void signal(String name, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s", name).isZero();
    }

    /** The node's {@code hongbao_passed_on_total} for the SET, from its /metrics. */
    private static long passedOn(HongbaoProcess node, int set) throws Exception {
        String metrics = new RawApi(node.baseUrl, ADMIN_KEY).call("GET", "/metrics", null).body();
        return metrics.lines().filter(line -> line.startsWith("hongbao_passed_on_total{") && line.contains("set=\"" + set + "\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String json(Object body) throws IOException {
        return JSON.writeValueAsString(body);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Every receiver opens every packet through nginx, on many threads; an answer that is not final (a node down, a
     * takeover in progress) is retried until the open is acknowledged, or refused for good.
     */
    private static final class Storm {
        private final RawApi proxy;
        private final Map<String, String> tokens;
        private final List<String> receivers;
        private final ExecutorService threads = Executors.newFixedThreadPool(24);
        private final List<Future<?>> opens = new ArrayList<>();
        final Map<String, Map<String, Long>> acks = new ConcurrentHashMap<>();
        final AtomicInteger acknowledged = new AtomicInteger();

        Storm(RawApi proxy, Map<String, String> tokens, List<String> receivers) {
            this.proxy = proxy;
            this.tokens = tokens;
            this.receivers = receivers;
        }

        List<String> sendAll(List<String> senders) throws Exception {
            List<String> packets = new ArrayList<>();
            for (int i = 0; i < PACKETS_PER_SENDER; i++) {
                for (String sender : senders) {
                    JsonNode sent = expect(proxy.as(tokens.get(sender)).call("POST", "/v1/packets", json(Map.of("kind", "GROUP_LUCKY",
                            "groupId", GROUP, "total", SHARE_TOTAL, "count", RECEIVERS, "greeting", "storm"))), 201);
                    packets.add(sent.get("id").asText());
                }
            }
            return packets;
        }

        void start(List<String> packets) {
            for (String receiver : receivers) {
                for (String packet : packets) {
                    opens.add(threads.submit(() -> open(receiver, packet)));
                }
            }
        }

        private Void open(String receiver, String packet) throws Exception {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (true) {
                HttpResponse<String> answer;
                try {
                    answer = proxy.as(tokens.get(receiver)).call("POST", "/v1/packets/" + packet + "/open", null);
                } catch (IOException dropped) {
                    answer = null;
                }
                if (answer != null && answer.statusCode() == 200) {
                    long amount = expect(answer, 200).get("amount").asLong();
                    acks.computeIfAbsent(packet, p -> new ConcurrentHashMap<>()).put(receiver, amount);
                    acknowledged.incrementAndGet();
                    return null;
                }
                if (answer != null && answer.statusCode() == 409) {
                    return null;
                }
                assertThat(answer == null || answer.statusCode() >= 421).as("open of %s by %s: %s", packet, receiver,
                        answer == null ? "dropped" : answer.body()).isTrue();
                assertThat(System.nanoTime() < deadline).as("open of %s by %s answered within %s", packet, receiver, GIVE_UP)
                        .isTrue();
                Thread.sleep(50);
            }
        }

        void awaitAcknowledged(int count) throws InterruptedException {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (acknowledged.get() < count) {
                assertThat(System.nanoTime() < deadline).as("%d opens acknowledged within %s", count, GIVE_UP).isTrue();
                Thread.sleep(20);
            }
        }

        void finish() throws Exception {
            for (Future<?> open : opens) {
                open.get(GIVE_UP.toSeconds() * 2, TimeUnit.SECONDS);
            }
            threads.shutdown();
        }
    }
}
