package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.wiring.ServeConfig;
import hongbao.app.SetsAudit;
import hongbao.domain.AuditReport;
import hongbao.domain.Limits;
import hongbao.domain.SetLayout;
import hongbao.domain.Transfer;
import hongbao.store.StoreSets;
import hongbao.wiring.Stores;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.testing.TestStores;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bank reference is one deposit or one withdrawal in the whole deployment, whichever SETs its users live in. */
class BankReferenceAcrossSetsTest {
    private final ServeConfig config = TestServer.config(TestServer.freshDir()).withStore(TestStores.freshStoreSpec(2));
    private final SetLayout layout = new SetLayout(config.engine().shards(), 2);
    private TestServer server = TestServer.start(config);

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The first user id of the given prefix whose wallet lives in the SET. */
    private String userInSet(String prefix, int set) {
        String userId = IntStream.range(0, 100).mapToObj(i -> prefix + i)
                .filter(id -> layout.setOfUser(id) == set).findFirst().orElseThrow();
        server.user(userId);
        return userId;
    }

    private ApiClient.Response move(String movement, String userId, long amount, String reference) {
        return server.admin.post("/v1/admin/users/" + userId + "/" + movement,
                "{\"amount\":" + amount + ",\"reference\":\"" + reference + "\"}");
    }

    private String deposit(String userId, long amount, String reference) {
        return move("deposits", userId, amount, reference).body();
    }

    private int depositStatus(String userId, long amount, String reference) {
        return move("deposits", userId, amount, reference).status();
    }

    private long balance(String userId) {
        return server.user(userId).get("/v1/wallet").expectStatus(200).json().get("balance").asLong();
    }

    @Test
    void aReferenceUsedInOneSetIsRefusedForAUserOfAnotherSet() {
        String inSetOne = userInSet("one-", 1);
        String inSetZero = userInSet("zero-", 0);

        assertThat(depositStatus(inSetOne, 5000, "bank-xset-1")).isEqualTo(201);
        String refused = deposit(inSetZero, 5000, "bank-xset-1");

        assertThat(refused).contains("IDEMPOTENCY_CONFLICT");
        assertThat(balance(inSetZero)).isZero();
        assertThat(balance(inSetOne)).isEqualTo(5000);
        assertThat(server.admin.get("/v1/admin/audit").expectStatus(200).json().get("balanced").asBoolean()).isTrue();
    }

    @Test
    void aRetryOfTheSameDepositCreditsOnceAndAnotherAmountIsRefused() {
        String inSetZero = userInSet("zero-", 0);

        assertThat(depositStatus(inSetZero, 700, "bank-retry")).isEqualTo(201);
        assertThat(depositStatus(inSetZero, 700, "bank-retry")).isEqualTo(201);
        assertThat(deposit(inSetZero, 701, "bank-retry")).contains("IDEMPOTENCY_CONFLICT");

        assertThat(balance(inSetZero)).isEqualTo(700);
    }

    @Test
    void aWithdrawalReferenceUsedInOneSetIsRefusedForAUserOfAnotherSet() {
        String inSetOne = userInSet("one-", 1);
        String inSetZero = userInSet("zero-", 0);
        assertThat(depositStatus(inSetOne, 5000, "bank-in-1")).isEqualTo(201);
        assertThat(depositStatus(inSetZero, 5000, "bank-in-0")).isEqualTo(201);

        assertThat(move("withdrawals", inSetOne, 1000, "payout-xset-1").status()).isEqualTo(201);
        assertThat(move("withdrawals", inSetZero, 1000, "payout-xset-1").errorCode()).isEqualTo("IDEMPOTENCY_CONFLICT");

        assertThat(balance(inSetOne)).isEqualTo(4000);
        assertThat(balance(inSetZero)).isEqualTo(5000);
        assertThat(server.admin.get("/v1/admin/audit").expectStatus(200).json().get("balanced").asBoolean()).isTrue();
    }

    @Test
    void theAuditReportsAReferenceCreditedInTwoSets() {
        String inSetOne = userInSet("one-", 1);
        String inSetZero = userInSet("zero-", 0);
        assertThat(depositStatus(inSetOne, 5000, "bank-twice")).isEqualTo(201);
        server.close();
        server = null;

        // What the defect left behind in stores written before the fix: the same reference credited in the other SET.
        try (StoreSets sets = Stores.openSets(config.store(), config.dataDir(), config.engine().shards(),
                config.retentionDays())) {
            sets.forUser(inSetZero).write(tx -> tx.move(Transfer.deposit("bank-twice", inSetZero, 5000, Instant.now()),
                    -Limits.DEFAULT.maxMoneySupply()));
            AuditReport report = SetsAudit.run(sets, Instant.now());

            assertThat(report.balanced()).isFalse();
            assertThat(report.problems()).containsExactly(
                    "deposit:bank-twice was applied 2 times, in SETs [0, 1]: one bank reference moved money twice");
        }
    }
}
