package hongbao.paysim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.wxpay.SignType;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Sign types are given in WeChat's spelling, as HONGBAO_PAYMENT_SIGN_TYPE and a provider's settings name them. */
class SignTypeConverterTest {
    private static ProviderSimCommand parse(String... args) {
        ProviderSimCommand command = new ProviderSimCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void providerSimTakesWeChatsSpelling() {
        assertThat(parse("--payment", "hb1:100", "--sign-type", "HMAC-SHA256").signType).isEqualTo(SignType.HMAC_SHA256);
        assertThat(parse("--payment", "hb1:100", "--sign-type", "MD5").signType).isEqualTo(SignType.MD5);
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> parse("--payment", "hb1:100", "--sign-type", "HMAC_SHA256"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("is not MD5 or HMAC-SHA256");
    }
}
