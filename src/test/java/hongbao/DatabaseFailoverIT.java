package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;

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
import hongbao.testing.ReplicatedPostgres;
import hongbao.testing.Required;
import hongbao.testing.ServerWrites;
import hongbao.testing.TestStores;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SET whose PostgreSQL primary dies: a real primary and a synchronous streaming standby (Debian's PostgreSQL 15,
 * {@link ReplicatedPostgres}), a node whose SET URL names both with {@code targetServerType=primary}, a storm of opens,
 * the primary SIGKILLed mid-storm (every process of it) and the standby promoted with {@code pg_ctl promote}. The
 * node must follow by itself; every open it acknowledged, before the kill or after, is in the promoted database; no
 * share is handed out twice; no money is created; the audit is clean; and {@code /ready} answers 503, never 500 and
 * never slowly, while the SET has no primary. The same holds with two nodes behind nginx, the storm sent to nginx.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DatabaseFailoverIT {
    private static final String ADMIN_KEY = "database-failover-admin-key";
    private static final String TOKEN_SECRET = "database-failover-token-secret-shared-by-both-nodes";
    private static final int SHARDS = 8;
    /** The cluster behind nginx: node 0 owns SET 0 (the primary and its standby), node 1 SET 1 (a database of its own). */
    private static final SetLayout TWO_SETS = new SetLayout(SHARDS, 2);
    private static final int RECEIVERS = 24;
    private static final int PACKETS = 40;
    private static final long PACKET_TOTAL = 2_400;
    private static final long DEPOSIT = PACKETS * PACKET_TOTAL;
    private static final int ACKED_BEFORE_KILL = 200;
    private static final Duration GIVE_UP = Duration.ofSeconds(90);
    /** A readiness probe answering later than this is a hang, as far as a load balancer is concerned. */
    private static final Duration READY_ANSWER_MAX = Duration.ofSeconds(8);
    private static final int DROPPED = -1;
    /** Longer than the pool's, the statement's and the socket's waits, and than the node's 10 s lease. */
    private static final Duration LONG_OUTAGE = Duration.ofSeconds(40);
    /**
     * Longer than the pool's wait for a connection (3 s) and a statement's (4 s): the opens and the reads then meet
     * the outage (answered 503 through nginx, and through node 1 passing reads on), not merely wait it out.
     */
    private static final Duration OUTAGE_BEHIND_NGINX = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    private final List<HongbaoProcess> started = java.util.Collections.synchronizedList(new ArrayList<>());
    private ReplicatedPostgres databases;
    private ClusterNginx nginx;

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        HongbaoProcess.destroyAll(started);
        if (databases != null) {
            databases.close();
        }
    }

    private record Ack(String receiver, String packet, long amount, long sentNanos, long atNanos) {
    }

    /** One attempt at an open: when it was sent and when answered (a share may be answered long after its commit). */
    private record Answer(int status, boolean databaseBehind, long sentNanos, long atNanos) {
    }

    private record Probe(int status, Duration took) {
    }

    /** A wallet read during the storm: whose wallet (its SET), and how it was answered. */
    private record WalletRead(int set, int status) {
    }

    /**
     * The users and packets, the storm of every receiver opening every packet (and, if asked, reading its wallet),
     * sent to the front (a node, or nginx before two nodes), and the probes of the SET's owner's {@code /ready}.
     */
    private final class Storm {
        final String storeSpec;
        final HongbaoProcess node;
        final RawApi admin;
        final List<String> receivers = IntStream.range(0, RECEIVERS).mapToObj(i -> "r" + i).toList();
        final Map<String, String> tokens;
        final List<String> packets;
        final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
        final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
        final Queue<Probe> probes = new ConcurrentLinkedQueue<>();
        final Queue<WalletRead> walletReads = new ConcurrentLinkedQueue<>();
        private final ExecutorService threads = Executors.newFixedThreadPool(16);
        private final List<Future<?>> opens = new ArrayList<>();
        private final Thread prober;
        private final Thread reader;

        /**
         * @param owner  the SET's owner: its {@code /ready} is probed, its log shown when an open fails
         * @param front  where every request of the storm goes
         * @param sender a user of the SET whose database is killed, so that the packets live there
         */
        Storm(String storeSpec, HongbaoProcess owner, String front, String sender, boolean readWallets) throws Exception {
            this.storeSpec = storeSpec;
            this.node = owner;
            admin = new RawApi(front, ADMIN_KEY);
            List<String> users = new ArrayList<>(receivers);
            users.add(sender);
            tokens = admin.usersInGroup("g", users);
            expect(admin.call("POST", "/v1/admin/users/" + sender + "/deposits",
                    "{\"amount\":" + DEPOSIT + ",\"reference\":\"bank-1\"}"), 201);
            packets = admin.as(tokens.get(sender)).sendLuckyPackets("g", PACKETS, PACKET_TOTAL, RECEIVERS);
            for (String packet : packets) {
                for (String receiver : receivers) {
                    opens.add(threads.submit(() -> open(admin.as(tokens.get(receiver)), receiver, packet, acks, answers)));
                }
            }
            prober = Thread.ofPlatform().name("ready-prober").start(() -> probeReady(owner.baseUrl, probes));
            reader = readWallets ? Thread.ofPlatform().name("wallet-reader").start(this::readWallets) : null;
        }

        /**
         * Each receiver's wallet in turn, until interrupted. Behind nginx a read goes to either node, which answers it
         * for a wallet of its own SET and passes it on to the owner otherwise.
         */
        private void readWallets() {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                String receiver = receivers.get(i % receivers.size());
                int status;
                try {
                    status = admin.as(tokens.get(receiver)).call("GET", "/v1/wallet", null).statusCode();
                } catch (IOException dropped) {
                    status = DROPPED;
                } catch (InterruptedException stopped) {
                    return;
                }
                walletReads.add(new WalletRead(TWO_SETS.setOfUser(receiver), status));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }

        void awaitOpens() throws Exception {
            for (Future<?> open : opens) {
                try {
                    open.get(GIVE_UP.toSeconds() * 2, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException failed) {
                    throw new AssertionError(failed.getCause().getMessage() + "\nthe node's log:\n" + node.logTail()
                            + "\nthe promoted standby's log:\n" + databases.logTail(databases.standby), failed.getCause());
                }
            }
            threads.shutdown();
        }

        void stopProbing() throws InterruptedException {
            for (Thread thread : reader == null ? List.of(prober) : List.of(prober, reader)) {
                thread.interrupt();
                thread.join(Duration.ofSeconds(15));
            }
        }
    }

    /** One node owning the SET, whose URL names the primary and its standby; the storm goes to the node. */
    private Storm oneNode(ReplicatedPostgres.Replication replication) throws Exception {
        startDatabases(replication);
        String storeSpec = databases.url("hongbao");
        HongbaoProcess node = node(storeSpec, "node", 0, freePort()).serve("node", started);
        return new Storm(storeSpec, node, node.baseUrl, "sender", false);
    }

    private void startDatabases(ReplicatedPostgres.Replication replication) throws Exception {
        Required.tool(ReplicatedPostgres.available(), "PostgreSQL 15's server binaries in " + ReplicatedPostgres.BIN);
        databases = ReplicatedPostgres.start(replication);
        databases.createDatabase("hongbao");
    }

    @Test
    void theNodeFollowsAPromotedSynchronousStandbyAndLosesNothingItAcknowledged() throws Exception {
        failOverSynchronously(Duration.ZERO);
    }

    /** An outage longer than every wait of the node (pool, statement, socket) and than its lease: still nothing lost. */
    @Test
    void aLongOutageEndsWithNothingLostAndTheAuditBalanced() throws Exception {
        failOverSynchronously(LONG_OUTAGE);
    }

    /**
     * The same failover in a cluster, as docs/cluster.md lays one out for two nodes: node 0 owns SET 0 (the primary
     * and its synchronous standby), node 1 owns SET 1 (a database of its own, which the kill does not touch), and
     * nginx, configured by {@code cluster-nginx}, sends SET 0's packets to node 0 and everything else to either node,
     * which passes what it does not own on to the owner. The whole storm goes through nginx: the packets live in SET 0;
     * about half of the receivers' wallets are in SET 1, so their shares are credited across SETs while SET 0's
     * database dies and comes back; and every receiver's wallet is read throughout, half of the reads landing on node
     * 1, which must find SET 0's owner through the promoted standby too. Nothing acknowledged is lost or doubled, every
     * wallet holds exactly the shares its opens were answered, both nodes' audits and the databases' are clean. The
     * standby is promoted {@link #OUTAGE_BEHIND_NGINX} after the kill.
     */
    @Test
    void behindNginxTwoNodesFollowThePromotedStandbyAndLoseNothing() throws Exception {
        Required.tool(ClusterNginx.installed(), "Debian's nginx is not installed (.ci/run installs it)");
        startDatabases(ReplicatedPostgres.Replication.SYNCHRONOUS);
        String storeSpec = databases.url("hongbao") + "," + TestStores.freshPostgresUrl();
        int[] ports = {freePort(), freePort()};
        // Side by side: each takes its own SET's lease, and each waits for the other's only when passing a request on.
        var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return node(storeSpec, "node-1", 1, ports[1]).serve("node-1", started);
            } catch (IOException | InterruptedException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        HongbaoProcess owner = node(storeSpec, "node-0", 0, ports[0]).serve("node-0", started);
        HongbaoProcess other = second.get(90, TimeUnit.SECONDS);
        nginx = ClusterNginx.start(dir, new HongbaoProcess.Launcher(dir, storeSpec, ADMIN_KEY, List.of()), SHARDS, 2,
                ports);
        String sender = IntStream.iterate(0, i -> i + 1).mapToObj(i -> "sender-" + i)
                .filter(user -> TWO_SETS.setOfUser(user) == 0).findFirst().orElseThrow();
        Storm storm = new Storm(storeSpec, owner, nginx.baseUrl, sender, true);
        assertThat(storm.packets).as("the packets' SETs").allMatch(id -> TWO_SETS.setOfPacket(Long.parseLong(id)) == 0);
        assertThat(storm.receivers).as("receivers whose wallets are in SET 1").anyMatch(user -> TWO_SETS.setOfUser(user) == 1);

        awaitCondition(() -> storm.acks.size() >= ACKED_BEFORE_KILL, "opens acknowledged before the kill");
        long killedAt = System.nanoTime();
        databases.killPrimary();
        int ackedBeforeKill = (int) storm.acks.stream().filter(ack -> ack.atNanos() < killedAt).count();
        awaitCondition(() -> storm.probes.stream().anyMatch(probe -> probe.status() == 503), "/ready says 503 without a primary");
        awaitCondition(() -> System.nanoTime() - killedAt >= OUTAGE_BEHIND_NGINX.toNanos(), "the outage's end");
        long promotedAt = System.nanoTime();
        databases.promoteStandby();
        storm.awaitOpens();
        awaitCondition(() -> lastProbe(storm.probes) == 200, "/ready says 200 again on the promoted standby");
        List<String> unlike = walletsUnlikeTheirShares(storm);
        for (long deadline = System.nanoTime() + GIVE_UP.toNanos(); !unlike.isEmpty() && System.nanoTime() < deadline; ) {
            Thread.sleep(100);
            unlike = walletsUnlikeTheirShares(storm);
        }
        assertThat(unlike).as("wallets whose balance, %s after the storm, is not the sum of the shares their opens were "
                + "answered", GIVE_UP).isEmpty();
        storm.stopProbing();

        for (HongbaoProcess node : List.of(owner, other)) {
            assertThat(node.process.isAlive()).as("the node kept running\n%s", node.logTail()).isTrue();
            var audit = expect(new RawApi(node.baseUrl, ADMIN_KEY).call("GET", "/v1/admin/audit", null), 200);
            assertThat(audit.get("problems")).as("the audit of %s: %s", node.baseUrl, audit).isEmpty();
        }
        assertThat(storm.answers).as("answers SET_DATABASE_BEHIND").noneMatch(Answer::databaseBehind);
        assertThat(storm.probes).as("every /ready answer of node 0 is 200 or 503, within %s", READY_ANSWER_MAX)
                .allSatisfy(probe -> {
                    assertThat(probe.status()).isIn(200, 503);
                    assertThat(probe.took()).isLessThan(READY_ANSWER_MAX);
                });
        assertThat(storm.walletReads).as("wallet reads through nginx: answered, or 503 while SET 0 has no primary")
                .allSatisfy(read -> assertThat(read.status()).isIn(200, 503));
        assertThat(storm.walletReads).as("reads of SET 1's wallets (its database never stopped)")
                .filteredOn(read -> read.set() == 1).extracting(WalletRead::status).containsOnly(200);
        HongbaoProcess.destroyAll(started);

        verifyAcknowledgedOpens(storeSpec, storm.acks, storm.packets, DEPOSIT);
        printMeasurements("DatabaseFailoverIT (two nodes behind nginx)", storm.acks.size(), ackedBeforeKill,
                List.copyOf(storm.answers), List.copyOf(storm.probes), killedAt, promotedAt);
        List<WalletRead> reads = List.copyOf(storm.walletReads);
        System.out.printf("DatabaseFailoverIT (two nodes behind nginx): wallet reads through nginx: SET 0's %d answered, "
                        + "%d 503; SET 1's %d answered, %d 503%n",
                reads.stream().filter(read -> read.set() == 0 && read.status() == 200).count(),
                reads.stream().filter(read -> read.set() == 0 && read.status() == 503).count(),
                reads.stream().filter(read -> read.set() == 1 && read.status() == 200).count(),
                reads.stream().filter(read -> read.set() == 1 && read.status() == 503).count());
    }

    /**
     * The receivers whose balance, read through the front, is not the sum of the shares their opens were answered
     * (receiver, balance and that sum), or whose wallet is not answered.
     */
    private static List<String> walletsUnlikeTheirShares(Storm storm) {
        Map<String, Long> shares = new java.util.HashMap<>();
        storm.acks.forEach(ack -> shares.merge(ack.receiver(), ack.amount(), Long::sum));
        List<String> unlike = new ArrayList<>();
        for (String receiver : storm.receivers) {
            long owed = shares.getOrDefault(receiver, 0L);
            try {
                HttpResponse<String> wallet = storm.admin.as(storm.tokens.get(receiver)).call("GET", "/v1/wallet", null);
                if (wallet.statusCode() != 200) {
                    unlike.add(receiver + ": " + wallet.statusCode() + " " + wallet.body());
                } else if (expect(wallet, 200).get("balance").asLong() != owed) {
                    unlike.add(receiver + " (SET " + TWO_SETS.setOfUser(receiver) + "): balance "
                            + expect(wallet, 200).get("balance").asLong() + ", shares " + owed);
                }
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return unlike;
    }

    /** @param outage how long after the kill the standby is promoted, at least (it is never before /ready says 503) */
    private void failOverSynchronously(Duration outage) throws Exception {
        Storm storm = oneNode(ReplicatedPostgres.Replication.SYNCHRONOUS);
        HongbaoProcess node = storm.node;
        RawApi admin = storm.admin;
        String storeSpec = storm.storeSpec;
        List<String> packets = storm.packets;
        Queue<Ack> acks = storm.acks;
        Queue<Probe> probes = storm.probes;

        awaitCondition(() -> acks.size() >= ACKED_BEFORE_KILL, "opens acknowledged before the kill");
        long killedAt = System.nanoTime();
        databases.killPrimary();
        assertThat(databases.primaryAnswers()).as("the killed primary answers").isFalse();
        int ackedBeforeKill = (int) acks.stream().filter(ack -> ack.atNanos() < killedAt).count();
        awaitCondition(() -> probes.stream().anyMatch(probe -> probe.status() == 503), "/ready says 503 without a primary");
        awaitCondition(() -> System.nanoTime() - killedAt >= outage.toNanos(), "the outage's end");
        long promotedAt = System.nanoTime();
        databases.promoteStandby();
        storm.awaitOpens();
        awaitCondition(() -> lastProbe(probes) == 200, "/ready says 200 again on the promoted standby");
        storm.stopProbing();

        assertThat(node.process.isAlive()).as("the node kept running\n%s", node.logTail()).isTrue();
        assertThat(storm.answers).as("answers SET_DATABASE_BEHIND").noneMatch(Answer::databaseBehind);
        var audit = expect(admin.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as("the node's audit: %s", audit).isEmpty();
        assertThat(probes).as("every /ready answer is 200 or 503, within %s", READY_ANSWER_MAX)
                .allSatisfy(probe -> {
                    assertThat(probe.status()).isIn(200, 503);
                    assertThat(probe.took()).isLessThan(READY_ANSWER_MAX);
                });
        long deposited = DEPOSIT;
        if (outage.isZero()) {
            deposited += theOldPrimaryStartedAgainReceivesNoWrite(node, admin);
        }
        HongbaoProcess.destroyAll(started);

        verifyAcknowledgedOpens(storeSpec, acks, packets, deposited);
        printMeasurements("DatabaseFailoverIT", acks.size(), ackedBeforeKill, List.copyOf(storm.answers), List.copyOf(probes),
                killedAt, promotedAt);
    }

    /** The 503 window and the answers' counts, for BENCHMARKS-style reporting in the test's output. */
    private static void printMeasurements(String test, int acked, int ackedBeforeKill, List<Answer> answers,
            List<Probe> probes, long killedAt, long promotedAt) {
        List<Answer> afterKill = answers.stream().filter(answer -> answer.atNanos() >= killedAt).toList();
        long firstRefused = afterKill.stream().filter(answer -> answer.status() != 200).mapToLong(Answer::atNanos).min()
                .orElse(killedAt);
        long firstServed = afterKill.stream().filter(answer -> answer.status() == 200 && answer.sentNanos() > firstRefused)
                .mapToLong(Answer::atNanos).min().orElseThrow();
        System.out.printf("%s: %d opens acknowledged (%d before the kill), all found in the promoted "
                        + "database, none doubled, money created 0; after the kill: %d answers 503, %d 504, %d "
                        + "connections dropped, %d other; opens refused for %d ms, served again %d ms after the kill "
                        + "(%d ms after promote began); /ready: %d probes, %d answered 503, slowest %d ms%n",
                test, acked, ackedBeforeKill, count(afterKill, 503), count(afterKill, 504), count(afterKill, DROPPED),
                afterKill.stream().filter(answer -> !List.of(200, 503, 504, DROPPED).contains(answer.status())).count(),
                millis(firstServed - firstRefused), millis(firstServed - killedAt), millis(firstServed - promotedAt),
                probes.size(), probes.stream().filter(probe -> probe.status() == 503).count(),
                probes.stream().map(Probe::took).max(Duration::compareTo).orElseThrow().toMillis());
    }

    private static long millis(long nanos) {
        return Duration.ofNanos(nanos).toMillis();
    }

    /**
     * The control: asynchronous replication, and a standby that was down for a while before the primary died, so
     * that the promoted database lacks opens the node acknowledged. The test must see that loss (or it could not see
     * one in the synchronous case either), and the node must refuse the SET, 503 SET_DATABASE_BEHIND, rather than hand
     * out shares again on the older database.
     */
    @Test
    void aPromotedAsynchronousStandbyLacksAcknowledgedOpensAndTheNodeRefusesTheSet() throws Exception {
        Storm storm = oneNode(ReplicatedPostgres.Replication.ASYNCHRONOUS);
        awaitCondition(() -> storm.acks.size() >= ACKED_BEFORE_KILL / 2, "opens acknowledged while the standby follows");
        databases.stopStandby();
        int ackedWhileFollowing = storm.acks.size();
        awaitCondition(() -> storm.acks.size() >= ackedWhileFollowing + ACKED_BEFORE_KILL / 2,
                "opens acknowledged by the primary alone");
        databases.killPrimary();
        databases.restartStandby();
        databases.promoteStandby();
        long promoted = System.nanoTime();
        storm.awaitOpens();
        storm.stopProbing();
        HongbaoProcess.destroyAll(started);

        assertThat(storm.answers).as("answers SET_DATABASE_BEHIND").anyMatch(Answer::databaseBehind);
        assertThat(storm.acks).as("opens sent after the promotion and acknowledged")
                .noneMatch(ack -> ack.sentNanos() > promoted);
        java.util.Set<String> kept = new java.util.HashSet<>();
        try (var connection = databases.standby.connect("hongbao"); var statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT packet_id, user_id FROM claims UNION "
                        + "SELECT packet_id, user_id FROM open_journal")) {
            while (rs.next()) {
                kept.add(rs.getLong(1) + "/" + rs.getString(2));
            }
        }
        long lost = storm.acks.stream().filter(ack -> !kept.contains(ack.packet() + "/" + ack.receiver())).count();
        assertThat(lost).as("acknowledged opens the promoted asynchronous standby lacks").isPositive();
        System.out.printf("DatabaseFailoverIT (asynchronous control): %d opens acknowledged, %d of them lacking on the "
                        + "promoted standby; %d answers SET_DATABASE_BEHIND, none acknowledged after the promotion%n",
                storm.acks.size(), lost, storm.answers.stream().filter(Answer::databaseBehind).count());
    }

    /**
     * The killed primary started again as it was: a primary on its old timeline (its machine came back), named first
     * in the node's URL, so that pgjdbc finds it first once the node's connections to the new primary are gone. It
     * must not receive a single write (no deposit, no lease renewal: its rows and PostgreSQL's own counters unchanged),
     * the node saying why in one line; stopped, the SET is served again by the new primary; rejoined as the new
     * primary's standby (pg_rewind, docs/cluster.md), a node whose URL names it alone is refused with one line.
     *
     * @return the fen deposited meanwhile
     */
    private long theOldPrimaryStartedAgainReceivesNoWrite(HongbaoProcess node, RawApi admin) throws Exception {
        databases.restartOldPrimary();
        ServerWrites before = ServerWrites.of(databases.primary, "hongbao");
        try (var connection = databases.standby.connect("postgres"); var statement = connection.createStatement()) {
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'hongbao'");
        }
        String deposit = "{\"amount\":1,\"reference\":\"bank-after-failover\"}";
        // A few tries, each waiting for a connection as long as the pool lets it: the first may only find a connection
        // the termination broke; together they span more than one of the owner's lease renewals.
        List<Integer> whileItRuns = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            whileItRuns.add(depositStatus(admin, deposit));
        }
        ServerWrites after = ServerWrites.of(databases.primary, "hongbao");
        assertThat(after.sameRows(before)).as("the old primary's rows and write counters unchanged: %s, then %s", before,
                after).isTrue();
        assertThat(whileItRuns).as("deposits while the old primary runs as a primary").containsOnly(503);
        String refusal = node.awaitLine(line -> line.contains("a demoted primary started again"), GIVE_UP);
        databases.stopOldPrimary();
        awaitCondition(() -> depositStatus(admin, deposit) == 201,
                "the deposit served by the new primary once the old one is stopped");
        databases.rejoinOldPrimaryAsStandby();
        String oldPrimaryAlone = "postgresql://postgres@" + databases.primary.hostPort() + "/hongbao";
        HongbaoProcess.Finished staleNode = HongbaoProcess.run(node(oldPrimaryAlone, "stale-node", 0, freePort()), dir, 60,
                "serve");
        assertThat(staleNode.exitCode()).as("a node naming the demoted primary alone\n%s", staleNode.output()).isEqualTo(2);
        assertThat(staleNode.errLines().getLast()).contains("is a standby (in recovery), not SET 0's primary");
        System.out.printf("DatabaseFailoverIT (old primary restarted as a primary): %s; its rows %s, then %s; a node "
                + "naming it alone once it is a standby: %s%n", refusal, before, after, staleNode.errLines().getLast());
        return 1;
    }

    private static int depositStatus(RawApi admin, String deposit) {
        try {
            return admin.call("POST", "/v1/admin/users/sender/deposits", deposit).statusCode();
        } catch (IOException dropped) {
            return DROPPED;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void verifyAcknowledgedOpens(String storeSpec, Queue<Ack> acks, List<String> packets, long deposited) {
        try (StoreSets sets = Stores.openSets(storeSpec, dir, SHARDS, 31, Ownership.none())) {
            for (Ack ack : acks) {
                long id = Long.parseLong(ack.packet());
                List<Claim> claims = sets.forPacket(id).packet(id).map(StoredPacket::claims).orElseThrow();
                assertThat(claims).as("acknowledged open of %s by %s", ack.packet(), ack.receiver())
                        .anyMatch(claim -> claim.userId().equals(ack.receiver()) && claim.amount() == ack.amount());
            }
            for (String packet : packets) {
                long id = Long.parseLong(packet);
                List<String> claimants = sets.forPacket(id).packet(id).map(StoredPacket::claims).orElseThrow().stream()
                        .map(Claim::userId).toList();
                assertThat(claimants).as("claimants of %s", packet).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(RECEIVERS);
            }
            AuditReport report = SetsAudit.run(sets, Instant.now());
            assertThat(report.problems()).as("audit of the promoted database").isEmpty();
            assertThat(report.totalUserBalance() + report.escrow() - deposited).as("money created").isZero();
        }
    }

    /**
     * Opens until acknowledged or refused for good (409); a 503, a 504 {@code OUTCOME_UNKNOWN} (the kill took the
     * commit's answer) or a dropped connection is retried with the same Idempotency-Key, which answers the first
     * open's share if it was applied after all.
     */
    private static Void open(RawApi receiver, String name, String packet, Queue<Ack> acks, Queue<Answer> answers)
            throws Exception {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (true) {
            HttpResponse<String> answer;
            long sent = System.nanoTime();
            try {
                answer = receiver.call("POST", "/v1/packets/" + packet + "/open", null,
                        "Idempotency-Key", "open-" + name + "-" + packet);
            } catch (IOException dropped) {
                answer = null;
            }
            boolean behind = answer != null && answer.statusCode() == 503 && answer.body().contains("SET_DATABASE_BEHIND");
            answers.add(new Answer(answer == null ? DROPPED : answer.statusCode(), behind, sent, System.nanoTime()));
            if (answer != null && answer.statusCode() == 200) {
                acks.add(new Ack(name, packet, expect(answer, 200).get("amount").asLong(), sent, System.nanoTime()));
                return null;
            }
            if (answer != null && answer.statusCode() == 409 || behind) {
                return null;
            }
            assertThat(answer == null || answer.statusCode() == 503 || answer.statusCode() == 504).as("open of %s by %s: %s", packet, name,
                    answer == null ? "dropped" : answer.statusCode() + " " + answer.body()).isTrue();
            assertThat(System.nanoTime() < deadline).as("open of %s by %s answered within %s", packet, name, GIVE_UP)
                    .isTrue();
            Thread.sleep(50);
        }
    }

    /** GET /ready every 100 ms until interrupted, each probe bounded as a load balancer's is. */
    private static void probeReady(String baseUrl, Queue<Probe> probes) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/ready")).timeout(READY_ANSWER_MAX).build();
        while (!Thread.currentThread().isInterrupted()) {
            long began = System.nanoTime();
            int status;
            try {
                status = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (HttpTimeoutException hung) {
                status = DROPPED;
            } catch (IOException dropped) {
                status = DROPPED;
            } catch (InterruptedException stopped) {
                return;
            }
            probes.add(new Probe(status, Duration.ofNanos(System.nanoTime() - began)));
            try {
                Thread.sleep(100);
            } catch (InterruptedException stopped) {
                return;
            }
        }
    }

    private static int lastProbe(Queue<Probe> probes) {
        Probe last = null;
        for (Probe probe : probes) {
            last = probe;
        }
        return last == null ? 0 : last.status();
    }

    private static long count(List<Answer> answers, int status) {
        return answers.stream().filter(answer -> answer.status() == status).count();
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GIVE_UP.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("%s within %s", what, GIVE_UP).isTrue();
            Thread.sleep(20);
        }
    }

    /**
     * A cluster node owning one SET: its lease lives in the SET's database and must survive the promotion. Every node
     * shares the token secret, so that a token one node made is good on the other.
     */
    private HongbaoProcess.Launcher node(String storeSpec, String name, int set, int port) throws IOException {
        Path data = dir.resolve(name);
        Files.createDirectories(data);
        Files.writeString(data.resolve("token.secret"), TOKEN_SECRET + "\n");
        return new HongbaoProcess.Launcher(data, storeSpec, ADMIN_KEY, List.of()).withEnv(Map.of(
                "HONGBAO_PORT", Integer.toString(port),
                "HONGBAO_OWN", Integer.toString(set),
                "HONGBAO_NODE_URL", "http://127.0.0.1:" + port,
                "HONGBAO_SHARDS", Integer.toString(SHARDS)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
