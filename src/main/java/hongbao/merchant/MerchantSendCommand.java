package hongbao.merchant;

import hongbao.wxpay.SignType;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hongbao merchant-send}: one signed sendredpack, as a merchant's code would send it, through
 * {@link MerchantClient}; prints the answer's XML. For trying the merchant API out from a shell.
 */
@Command(name = "merchant-send", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Send one signed sendredpack to a hongbao server as a merchant would, and print the answer's XML; "
                + "exit 0 if it succeeded, 1 if it was refused.")
public final class MerchantSendCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://localhost:${env:HONGBAO_PORT:-8080}",
            description = "the service (the API path is added; its port: HONGBAO_PORT, as serve's)")
    URI url;

    @Option(names = "--mch-id", required = true, description = "the merchant's mch_id")
    String mchId;

    @Option(names = "--key", required = true, description = "the merchant's API key, as registered with the service")
    String apiKey;

    @Option(names = "--wxappid", required = true, description = "the merchant's app id, as registered")
    String wxappid;

    @Option(names = "--openid", required = true, description = "the receiver's openid in the merchant's app (bound to a user)")
    String openid;

    @Option(names = "--amount", required = true, description = "total_amount in fen")
    Long amount;

    @Option(names = "--billno", description = "mch_billno, the merchant's idempotent bill number "
            + "(default: the mch_id, today's date and the time of day in milliseconds)")
    String billno;

    @Option(names = "--send-name", defaultValue = "hongbao demo", description = "send_name")
    String sendName;

    @Option(names = "--wishing", defaultValue = "恭喜发财", description = "wishing")
    String wishing;

    @Option(names = "--sign-type", defaultValue = "MD5", description = "MD5 or HMAC-SHA256")
    String signType;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MerchantClient client = new MerchantClient(url, mchId, wxappid, apiKey, SignType.ofWireName(signType));
        String bill = billno != null ? billno : defaultBillno();
        MerchantClient.Answer answer;
        try {
            answer = client.sendRedpack(new MerchantClient.Redpack(bill, sendName, openid, amount, wishing, "127.0.0.1",
                    "demo", "sent with hongbao merchant-send"));
        } catch (java.net.ConnectException notListening) {
            spec.commandLine().getErr().println("hongbao merchant-send: --url: nothing answers at " + url
                    + " (is the service running?)");
            return 2;
        }
        spec.commandLine().getOut().println(answer.body());
        return answer.isSuccess() ? 0 : 1;
    }

    /** WeChat's shape: mch_id, yyyyMMdd, then digits unique to the merchant and day (28 characters at most). */
    private String defaultBillno() {
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneId.of("Asia/Shanghai"));
        String digits = String.format("%010d", now.toLocalTime().toNanoOfDay() / 1_000_000);
        return mchId + now.format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE) + digits;
    }
}
