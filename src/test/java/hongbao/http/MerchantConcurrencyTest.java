package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.wiring.ServeConfig;
import hongbao.domain.MerchantLimits;
import hongbao.merchant.MerchantClient;
import hongbao.merchant.MerchantClient.Answer;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Merchants retry and race: real threads post at once, and the money moves once per bill and within the limits. */
class MerchantConcurrencyTest {
    private static final String MCH = MerchantApiTest.MCH;

    private TestServer server;
    private MerchantClient merchant;

    private void start(MerchantLimits limits) {
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withMerchants(
                new ServeConfig.MerchantConfig(limits, Duration.ofHours(1), 200)));
        merchant = server.merchant(MCH, MerchantApiTest.APP, MerchantApiTest.KEY, SignType.MD5);
        server.user("bob");
        server.bindOpenid(MCH, "oBob", "bob");
        server.deposit("mch." + MCH, 100_000, "mch-topup-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Runs every call on its own platform thread, all released at once; returns their answers in order. */
    private static List<Answer> atOnce(List<Callable<Answer>> calls) throws Exception {
        CountDownLatch ready = new CountDownLatch(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (Callable<Answer> call : calls) {
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.call();
                }));
            }
            ready.await();
            go.countDown();
            List<Answer> results = new ArrayList<>();
            for (Future<Answer> answer : answers) {
                results.add(answer.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theSameBillSent100TimesAtOncePaysOnceAndEveryoneGetsTheFirstAnswer() throws Exception {
        start(MerchantLimits.DEFAULT);
        String body = merchant.body(merchant.params(MerchantApiTest.redpack("C100", "oBob", 888)));
        List<Callable<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(() -> merchant.post(MerchantClient.SEND_REDPACK, body));
        }
        long started = System.nanoTime();

        List<Answer> answers = atOnce(calls);

        System.out.printf("MerchantConcurrencyTest: 100 identical sendredpack at once answered in %d ms%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        assertThat(answers).allSatisfy(answer -> assertThat(answer.isSuccess()).as(answer.body()).isTrue());
        assertThat(answers).extracting(Answer::body).as("one answer, stored with the packet").containsOnly(answers.get(0).body());
        assertThat(server.merchantBalance(MCH)).isEqualTo(100_000 - 888);
        assertThat(server.admin.get("/v1/admin/audit").expectStatus(200).json().get("transfers").asLong())
                .as("the deposit and one send").isEqualTo(2);
        assertThat(merchant.getHbInfo("C100").get("detail_id")).isEqualTo(answers.get(0).get("send_listid"));
    }

    @Test
    void concurrentBillsForOneUserStopExactlyAtTheDailyLimit() throws Exception {
        start(new MerchantLimits(100, 20_000, 10, 1800));
        List<Callable<Answer>> calls = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String billno = "L" + i;
            calls.add(() -> merchant.sendRedpack(MerchantApiTest.redpack(billno, "oBob", 100)));
        }

        List<Answer> answers = atOnce(calls);

        assertThat(answers.stream().filter(Answer::isSuccess)).hasSize(10);
        assertThat(answers.stream().filter(answer -> !answer.isSuccess()))
                .allSatisfy(answer -> assertThat(answer.errCode()).isEqualTo("SENDNUM_LIMIT"));
        assertThat(server.merchantBalance(MCH)).isEqualTo(100_000 - 10 * 100);
    }
}
