package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.ApiClient;
import hongbao.testing.ProxiedPostgres;
import hongbao.testing.TestServer;
import hongbao.store.postgres.PostgresStore;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A SET whose PostgreSQL database is cut off (a proxy that drops every byte and keeps the sockets open, as a lossy
 * network does) answers 503 with Retry-After within seconds, says NOT_READY meanwhile, and serves again by itself
 * once its database answers, even when the answer to a derivation's COMMIT was lost: nothing is derived twice.
 */
class SetHealthTest {
    /** Well under the 25 s requests hung for before their database waits were bounded. */
    private static final Duration FEW_SECONDS = Duration.ofSeconds(8);
    private static final Duration RECOVERY_MAX = Duration.ofSeconds(30);

    private final List<Integer> statuses = new ArrayList<>();
    private ProxiedPostgres database;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            database.proxy().heal();
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    private void start() {
        database = ProxiedPostgres.fresh();
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withStore(database.url()));
    }

    @Test
    void aDerivationCommitWhoseAnswerIsLostIsNotDerivedAgainAndTheSetRecoversByItself() throws Exception {
        start();
        ApiClient alice = server.user("alice");
        ApiClient bob = server.user("bob");
        ApiClient carol = server.user("carol");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "dep-1");
        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"family\",\"total\":300,"
                + "\"count\":3}").expectStatus(201).json().get("id").asText();

        database.proxy().blackHoleAfter("UPDATE journal_marks", "COMMIT");
        long bobsShare = bob.post("/v1/packets/" + packet + "/open", null).expectStatus(200).json().get("amount").asLong();
        assertThat(database.proxy().awaitTriggered(30, TimeUnit.SECONDS))
                .as("the derivation of bob's open sent its COMMIT, whose answer was lost").isTrue();

        assertUnavailableWithinSeconds(alice, "/v1/packets/" + packet);
        assertThat(ready()).as("/ready while the SET cannot commit").isEqualTo(503);
        database.proxy().heal();

        awaitReady();
        assertThat(counted(alice.get("/v1/packets/" + packet)).status()).isEqualTo(200);
        long carolsShare = counted(carol.post("/v1/packets/" + packet + "/open", null)).expectStatus(200).json()
                .get("amount").asLong();
        var audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("balanced").asBoolean()).as("audit: %s", audit).isTrue();
        assertThat(counted(bob.get("/v1/wallet")).json().get("balance").asLong()).isEqualTo(bobsShare);
        assertThat(carolsShare).isPositive();
        assertThat(statuses).as("no answer was a 500").doesNotContain(500);
    }

    @Test
    void requestsToACutOffSetAnswer503WithinSecondsAndReadyFollowsTheDatabase() throws Exception {
        start();
        ApiClient alice = server.user("alice");
        server.deposit("alice", 500, "dep-1");
        assertThat(ready()).isEqualTo(200);

        database.proxy().blackHole();
        assertUnavailableWithinSeconds(alice, "/v1/wallet");
        assertUnavailableWithinSeconds(server.admin, "/v1/admin/audit");
        long began = System.nanoTime();
        assertThat(ready()).as("/ready while the SET's database is cut off").isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(FEW_SECONDS);

        database.proxy().heal();
        awaitReady();
        assertThat(counted(alice.get("/v1/wallet")).json().get("balance").asLong()).isEqualTo(500);
        assertThat(statuses).doesNotContain(500);
    }

    @Test
    void readyIsNotReadyWhileTheSetCannotCommitThoughItsDatabaseStillAnswersReads() throws Exception {
        start();
        ApiClient alice = server.user("alice");
        ApiClient bob = server.user("bob");
        server.group("family", List.of("alice", "bob"));
        server.deposit("alice", 10_000, "dep-1");
        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":200,"
                + "\"count\":2}").expectStatus(201).json().get("id").asText();

        // Another session holds the journal's tables: no commit gets through (as on a full disk), reads still do.
        URI url = URI.create(database.url());
        try (Connection blocker = DriverManager.getConnection(PostgresStore.jdbcUrl(database.url()),
                url.getUserInfo().split(":")[0], "")) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("LOCK TABLE open_journal, journal_marks IN EXCLUSIVE MODE");
            }
            long began = System.nanoTime();
            ApiClient.Response open = counted(bob.post("/v1/packets/" + packet + "/open", null));
            assertThat(open.status()).as("an open that could not be journaled: %s", open.body()).isEqualTo(503);
            assertThat(open.retryAfter()).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(FEW_SECONDS);
            assertThat(counted(alice.get("/v1/wallet")).status()).as("reads still answer").isEqualTo(200);
            assertThat(ready()).as("/ready while the SET cannot commit").isEqualTo(503);
            blocker.rollback();
        }

        awaitReady();
        counted(bob.post("/v1/packets/" + packet + "/open", null)).expectStatus(200);
        assertThat(statuses).doesNotContain(500);
    }

    private void assertUnavailableWithinSeconds(ApiClient client, String path) {
        long began = System.nanoTime();
        ApiClient.Response answer = counted(client.get(path));
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertThat(answer.status()).as("GET %s: %s", path, answer.body()).isEqualTo(503);
        assertThat(answer.errorCode()).isEqualTo("UNAVAILABLE");
        assertThat(answer.retryAfter()).isNotNull();
        assertThat(took).as("GET %s answered after %s", path, took).isLessThan(FEW_SECONDS);
    }

    private ApiClient.Response counted(ApiClient.Response answer) {
        statuses.add(answer.status());
        return answer;
    }

    private int ready() {
        return counted(new ApiClient(server.baseUrl(), null).get("/ready")).status();
    }

    /** The SET serves again by itself: no restart, no operator; bounded by {@link #RECOVERY_MAX}. */
    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY_MAX.toNanos();
        while (ready() != 200) {
            assertThat(System.nanoTime()).as("ready again within %s of the heal", RECOVERY_MAX).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
