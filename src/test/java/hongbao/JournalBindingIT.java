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
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sqlite.SQLiteConfig;

/**
 * A server killed with acknowledged opens still only in its journal, then its {@code journal.db} lost or replaced:
 * the next {@code serve} refuses in one line naming the file and the documented recovery (exit 2), where it used to
 * start, balance, and let the same shares be opened again. Putting the files back (the recovery) serves every
 * acknowledged open. A data directory from before the binding is bound on its first start.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class JournalBindingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "journal-binding-it-admin-key";
    private static final String GROUP = "journal-group";
    private static final int USERS = 60;
    /** Enough opens that a quiet machine still derives them in more than four passes (240 took two or three). */
    private static final int PACKETS = 20;
    private static final int CLIENTS = 16;

    @TempDir
    Path work;

    private final List<HongbaoProcess> started = new ArrayList<>();

    record Ack(String packetId, String userId, long amount) {
    }

    /** What a first life leaves: the opens it acknowledged and every user's token. */
    record FirstLife(List<Ack> acks, Map<String, String> tokens) {
    }

    @BeforeEach
    void sqliteOnly() {
        assumeFalse(TestStores.postgres(), "journal.db is SQLite's; PostgreSQL keeps the journal in the SET's database");
    }

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    /** How the journal goes missing after the kill. */
    enum Loss {
        JOURNAL_DELETED("journal.db"),
        WAL_DELETED("journal.db-wal"),
        JOURNAL_TRUNCATED("journal.db"),
        JOURNAL_OF_ANOTHER_DATA_DIRECTORY("journal.db");

        /** The file the refusal names. */
        final String named;

        Loss(String named) {
            this.named = named;
        }
    }

    private static HongbaoProcess.Launcher launcher(Path dataDir) {
        return new HongbaoProcess.Launcher(dataDir, null, ADMIN_KEY, List.of());
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void aJournalLostAfterAKillWithUnderivedOpensIsRefusedUntilItIsPutBack(Loss loss) throws Exception {
        Path data = work.resolve("data");
        FirstLife first = killedMidDerivation(data);
        assertThat(journalHighestOp(data)).as("the killed server's journal holds opens its tables have not derived")
                .isGreaterThan(derivedThrough(data));
        Path kept = work.resolve("kept");
        Files.createDirectories(kept);
        for (String name : List.of("journal.db", "journal.db-wal", "journal.db-shm")) {
            Files.copy(data.resolve(name), kept.resolve(name));
        }

        switch (loss) {
            case JOURNAL_DELETED -> {
                for (String name : List.of("journal.db", "journal.db-wal", "journal.db-shm")) {
                    Files.delete(data.resolve(name));
                }
            }
            case WAL_DELETED -> Files.delete(data.resolve("journal.db-wal"));
            case JOURNAL_TRUNCATED -> {
                try (FileChannel file = FileChannel.open(data.resolve("journal.db"), StandardOpenOption.WRITE)) {
                    file.truncate(0);
                }
            }
            case JOURNAL_OF_ANOTHER_DATA_DIRECTORY -> {
                Path other = work.resolve("other");
                HongbaoProcess otherServer = launcher(other).serve("other", started);
                otherServer.process.destroy();
                assertThat(otherServer.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                Files.copy(other.resolve("journal.db"), data.resolve("journal.db"), StandardCopyOption.REPLACE_EXISTING);
                Files.delete(data.resolve("journal.db-wal"));
                Files.delete(data.resolve("journal.db-shm"));
            }
        }

        HongbaoProcess.Finished refused = HongbaoProcess.run(launcher(data), work, 60, "serve");
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        List<String> lines = refused.output().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("everything the refused start printed").hasSize(1);
        assertThat(lines.get(0)).startsWith("hongbao serve: " + data.resolve(loss.named))
                .contains("A lost or replaced journal");

        // The documented recovery when the files still exist somewhere: put them back.
        for (String name : List.of("journal.db", "journal.db-wal", "journal.db-shm")) {
            Files.copy(kept.resolve(name), data.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        HongbaoProcess second = launcher(data).serve("second", started);
        assertEveryAckServed(new RawApi(second.baseUrl, ADMIN_KEY), first);
    }

    @Test
    void aDataDirectoryFromBeforeTheBindingIsBoundOnItsFirstStart() throws Exception {
        Path data = work.resolve("legacy");
        FirstLife first = killedMidDerivation(data);
        HongbaoProcess tidy = launcher(data).serve("tidy", started);
        tidy.process.destroy();
        assertThat(tidy.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // As the release before the binding left it: no migration 12 (V12__journal_binding), no journal identity, and
        // none of the migrations after it (V13__events, V14__claims_carry_credits, V15__packed_events): an open's credit
        // is a transfers row of its own again (the escrow's balance after it is not read once V14 has moved it back).
        sql(data.resolve("hongbao.db"), "DELETE FROM flyway_schema_history WHERE version IN ('12', '13', '14', '15')",
                "ALTER TABLE journal_marks DROP COLUMN journal_open", "ALTER TABLE journal_marks DROP COLUMN journal_id",
                "DROP TABLE events", "DROP TABLE event_marks", "DROP TABLE webhook_cursors", "DROP TABLE webhook_dead_letters",
                "INSERT INTO transfers (seq, transfer_id, kind, from_account, to_account, amount, from_balance_after, "
                        + "to_balance_after, packet_id, at_ms) SELECT ledger_seq, 'claim:' || packet_id || ':' || seq, 'CLAIM', "
                        + "'escrow:legacy', 'wallet:' || user_id, amount, 0, balance_after, packet_id, claimed_ms FROM claims "
                        + "WHERE ledger_seq IS NOT NULL",
                "DROP INDEX claims_credits", "ALTER TABLE claims DROP COLUMN ledger_seq",
                "ALTER TABLE claims DROP COLUMN balance_after");
        sql(data.resolve("journal.db"), "DROP TABLE journal_identity");

        HongbaoProcess migrated = launcher(data).serve("migrated", started);
        assertEveryAckServed(new RawApi(migrated.baseUrl, ADMIN_KEY), first);
        migrated.process.destroyForcibly();
        assertThat(migrated.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.delete(data.resolve("journal.db-wal"));

        HongbaoProcess.Finished refused = HongbaoProcess.run(launcher(data), work, 60, "serve");
        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains(data.resolve("journal.db-wal").toString(), "A lost or replaced journal");
    }

    /**
     * A first life: an open storm until the process halts half-way through deriving a batch, so the journal holds
     * acknowledged opens the tables have not derived.
     */
    private FirstLife killedMidDerivation(Path data) throws Exception {
        HongbaoProcess server = launcher(data)
                .withJvmFlags("-Dhongbao.failpoint=mid-derivation", "-Dhongbao.failpoint.pass=3")
                .serve("first", started);
        RawApi admin = new RawApi(server.baseUrl, ADMIN_KEY);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(String.format("j%03d", i));
        }
        users.add("sender");
        Map<String, String> tokens = admin.usersInGroup(GROUP, users);
        expect(admin.call("POST", "/v1/admin/users/sender/deposits", "{\"amount\":1000000,\"reference\":\"journal-funds\"}"), 201);
        List<String> packets = admin.as(tokens.get("sender")).sendLuckyPackets(GROUP, PACKETS, 30_000, USERS);

        ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
        AtomicBoolean halted = new AtomicBoolean();
        RawApi storm = admin.freshClient();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            int offset = client;
            pool.execute(() -> {
                for (int n = offset; n < PACKETS * USERS && !halted.get(); n += CLIENTS) {
                    String packetId = packets.get(n % PACKETS);
                    String user = users.get(n / PACKETS);
                    try {
                        HttpResponse<String> r = storm.as(tokens.get(user)).call("POST", "/v1/packets/" + packetId + "/open", null);
                        if (r.statusCode() == 200) {
                            acks.add(new Ack(packetId, user, JSON.readTree(r.body()).get("amount").asLong()));
                        }
                    } catch (java.io.IOException inFlightAtTheHalt) {
                        halted.set(true);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        assertThat(server.process.waitFor(90, TimeUnit.SECONDS)).as("the failpoint halted the server\n%s", server.logTail())
                .isTrue();
        assertThat(server.process.exitValue()).as(server.logTail()).isEqualTo(86);
        halted.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(acks).as("opens acknowledged before the halt").isNotEmpty();
        return new FirstLife(new ArrayList<>(acks), tokens);
    }

    private static void assertEveryAckServed(RawApi admin, FirstLife first) throws Exception {
        for (Ack ack : first.acks()) {
            JsonNode view = expect(admin.as(first.tokens().get(ack.userId())).call("GET", "/v1/packets/" + ack.packetId(), null), 200);
            assertThat(view.path("myClaim").path("amount").asLong()).as("%s", ack).isEqualTo(ack.amount());
        }
        JsonNode audit = expect(admin.call("GET", "/v1/admin/audit", null), 200);
        assertThat(audit.get("problems")).as(audit.toString()).isEmpty();
    }

    private static long derivedThrough(Path data) throws SQLException {
        return readOnlyLong(data.resolve("hongbao.db"), "SELECT derived_through FROM journal_marks");
    }

    private static long journalHighestOp(Path data) throws SQLException {
        return readOnlyLong(data.resolve("journal.db"), "SELECT COALESCE(MAX(op), 0) FROM open_journal");
    }

    /** Read-only, so that closing the connection leaves the killed server's write-ahead log where it is. */
    private static long readOnlyLong(Path file, String query) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void sql(Path file, String... statements) throws SQLException {
        try (Connection connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
