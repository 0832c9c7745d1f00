package hongbao.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import hongbao.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
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

    private void assertUnauthenticated(String token) {
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
}
