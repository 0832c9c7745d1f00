package hongbao.wxpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SignTypeTest {

    @Test
    void wireNamesAreWeChats() {
        assertThat(SignType.MD5.wireName()).isEqualTo("MD5");
        assertThat(SignType.HMAC_SHA256.wireName()).isEqualTo("HMAC-SHA256");
    }

    @Test
    void everyWireNameParsesBackToItsType() {
        for (SignType type : SignType.values()) {
            assertThat(SignType.ofWireName(type.wireName())).isSameAs(type);
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    void anAbsentSignTypeMeansMd5(String name) {
        assertThat(SignType.ofWireName(name)).isSameAs(SignType.MD5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"md5", "hmac-sha256", "HMAC_SHA256", "HMACSHA256", "SHA256", " MD5", "MD5 "})
    void anyOtherNameIsRefused(String name) {
        assertThatThrownBy(() -> SignType.ofWireName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown sign_type");
    }
}
