package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Money out (提现): the host app pays a wallet out to the user's bank, once per reference, never below zero. */
class WithdrawalTest {
    private TestServer server;
    private ApiClient alice;

    @BeforeEach
    void start() {
        server = TestServer.start();
        alice = server.user("alice");
        server.deposit("alice", 1000, "bank-in-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiClient.Response withdraw(String userId, String body) {
        return server.admin.post("/v1/admin/users/" + userId + "/withdrawals", body);
    }

    private ApiClient.Response withdraw(long amount, String reference) {
        return withdraw("alice", "{\"amount\":" + amount + ",\"reference\":\"" + reference + "\"}");
    }

    private long balance() {
        return alice.get("/v1/wallet").expectStatus(200).json().get("balance").asLong();
    }

    private JsonNode audit() {
        JsonNode audit = server.admin.get("/v1/admin/audit").expectStatus(200).json();
        assertThat(audit.get("problems")).as(audit.toString()).isEmpty();
        return audit;
    }

    @Test
    void aWithdrawalLeavesTheWalletForTheBankAndShowsInTheStatement() {
        assertThat(withdraw(300, "payout-1").expectStatus(201).json().get("balance").asLong()).isEqualTo(700);

        assertThat(balance()).isEqualTo(700);
        JsonNode latest = alice.get("/v1/wallet/transactions").expectStatus(200).json().get("items").get(0);
        assertThat(latest.get("kind").asText()).isEqualTo("WITHDRAWAL");
        assertThat(latest.get("amount").asLong()).isEqualTo(-300);
        assertThat(latest.get("balanceAfter").asLong()).isEqualTo(700);
        JsonNode audit = audit();
        assertThat(audit.get("external").asLong()).isEqualTo(-700);
        assertThat(audit.get("totalUserBalance").asLong()).isEqualTo(700);
    }

    @Test
    void theSameReferenceTwiceIsOneWithdrawalAndAnotherAmountUnderItIsRefused() {
        withdraw(300, "payout-2").expectStatus(201);
        assertThat(withdraw(300, "payout-2").expectStatus(201).json().get("balance").asLong()).isEqualTo(700);
        assertThat(withdraw(301, "payout-2").expectStatus(409).errorCode()).isEqualTo("IDEMPOTENCY_CONFLICT");
        server.user("bob");
        assertThat(withdraw("bob", "{\"amount\":300,\"reference\":\"payout-2\"}").expectStatus(409).errorCode())
                .isEqualTo("IDEMPOTENCY_CONFLICT");

        assertThat(balance()).isEqualTo(700);
        audit();
    }

    @Test
    void moreThanTheBalanceIsRefusedAndTheSameReferenceWorksOnceTheMoneyIsThere() {
        assertThat(withdraw(1001, "payout-3").expectStatus(409).errorCode()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(balance()).isEqualTo(1000);

        server.deposit("alice", 1, "bank-in-2");
        assertThat(withdraw(1001, "payout-3").expectStatus(201).json().get("balance").asLong()).isZero();
        audit();
    }

    @Test
    void badWithdrawalsAreRefusedWithTypedErrorsAndChangeNothing() {
        assertThat(withdraw("alice", "{\"amount\":0,\"reference\":\"w\"}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(withdraw("alice", "{\"amount\":-5,\"reference\":\"w\"}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(withdraw("alice", "{\"amount\":1.5,\"reference\":\"w\"}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(withdraw("alice", "{\"reference\":\"w\"}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(withdraw("alice", "{\"amount\":5}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(withdraw("alice", "{\"amount\":5,\"reference\":\"a b\"}").expectStatus(400).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(withdraw("ghost", "{\"amount\":5,\"reference\":\"w\"}").expectStatus(404).errorCode()).isEqualTo("NOT_FOUND");
        assertThat(alice.post("/v1/admin/users/alice/withdrawals", "{\"amount\":5,\"reference\":\"w\"}").expectStatus(401)
                .errorCode()).isEqualTo("UNAUTHENTICATED");

        assertThat(balance()).isEqualTo(1000);
        assertThat(audit().get("external").asLong()).isEqualTo(-1000);
    }

    @Test
    void concurrentWithdrawalsNeverTakeTheWalletBelowZero() throws Exception {
        int attempts = 20;
        List<Future<Integer>> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(attempts)) {
            for (int i = 0; i < attempts; i++) {
                String reference = "race-" + i;
                statuses.add(pool.submit(() -> withdraw(100, reference).status()));
            }
        }
        int paid = 0;
        for (Future<Integer> status : statuses) {
            int code = status.get();
            assertThat(code).isIn(201, 409);
            paid += code == 201 ? 1 : 0;
        }

        assertThat(paid).isEqualTo(10);
        assertThat(balance()).isZero();
        audit();
    }
}
