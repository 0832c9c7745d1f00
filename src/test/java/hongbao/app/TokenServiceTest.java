package hongbao.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import hongbao.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final TokenService tokens = new TokenService("secret", clock);

    @Test
    void aTokenNamesItsUserUntilItExpires() {
        String token = tokens.issue("alice", Duration.ofSeconds(60)).token();
        assertThat(tokens.verify(token)).isEqualTo("alice");
        clock.advance(Duration.ofSeconds(60));
        assertUnauthenticated(token);
    }

    @Test
    void everyOtherSpellingOfTheSignatureIsRejected() {
        String token = tokens.issue("alice", Duration.ofHours(1)).token();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        // Base64 ignores the unused low bits of the last character: some of these decode to the same bytes.
        for (char replacement : alphabet.toCharArray()) {
            if (replacement != last) {
                assertUnauthenticated(token.substring(0, token.length() - 1) + replacement);
            }
        }
    }

    @Test
    void tokensAreCheckedRightByManyThreadsAtOnce() throws Exception {
        int threads = 8;
        List<String> issued = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            issued.add(tokens.issue("user-" + t, Duration.ofHours(1)).token());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Long>> wrong = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < threads; t++) {
                int user = t;
                wrong.add(pool.submit(() -> {
                    start.await();
                    long misread = 0;
                    for (int i = 0; i < 20_000; i++) {
                        try {
                            misread += tokens.verify(issued.get(user)).equals("user-" + user) ? 0 : 1;
                        } catch (Rejection refused) {
                            misread++;
                        }
                    }
                    return misread;
                }));
            }
            start.countDown();
            for (Future<Long> misread : wrong) {
                assertThat(misread.get(60, TimeUnit.SECONDS)).isZero();
            }
        }
    }

    private void assertUnauthenticated(String token) {
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
}
