package hongbao.paysim;

import hongbao.wxpay.SignType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code hongbao provider-sim}: sends signed payment notifications to a running service, as the provider would. */
@Command(name = "provider-sim", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Send signed payment notifications to a hongbao server, as the payment provider would.")
public final class ProviderSimCommand implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://localhost:${env:HONGBAO_PORT:-8080}/v1/payments/notify",
            description = "the notify endpoint of the service (its port: HONGBAO_PORT, as serve's)")
    URI url;

    @Option(names = "--key", defaultValue = "${env:HONGBAO_PAYMENT_KEY}", description = "the shared signing key (HONGBAO_PAYMENT_KEY; else read from <data-dir>/payment.key)")
    String key;

    @Option(names = "--data-dir", defaultValue = "${env:HONGBAO_DATA_DIR:-./data}", description = "where payment.key is when --key is not given")
    Path dataDir;

    @Option(names = "--payment", required = true, showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "paymentId:amountInFen, as the send answer's payment gave them; repeatable")
    List<String> payments = new ArrayList<>();

    @Option(names = "--fail", description = "report the payments as failed (result_code FAIL)")
    boolean fail;

    @Option(names = "--copies", defaultValue = "1", description = "send each notification this many times")
    int copies;

    @Option(names = "--reorder", description = "send in random order")
    boolean reorder;

    @Option(names = "--drop-rate", defaultValue = "0", description = "share of sends not made, 0..1")
    double dropRate;

    @Option(names = "--corrupt", defaultValue = "NONE", description = "NONE, SIGNATURE, TAMPERED_AMOUNT or WRONG_AMOUNT")
    ProviderSimulator.Corruption corruption;

    @Option(names = "--delay-ms", defaultValue = "0", description = "wait before each send")
    long delayMs;

    @Option(names = "--sign-type", defaultValue = "${env:HONGBAO_PAYMENT_SIGN_TYPE:-MD5}", converter = SignTypeConverter.class,
            description = "MD5 or HMAC-SHA256, as the server's HONGBAO_PAYMENT_SIGN_TYPE (default: that variable, else MD5)")
    SignType signType;

    @Option(names = "--seed", defaultValue = "1", description = "seed for nonces, order and drops")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<ProviderSimulator.Notification> notifications = new ArrayList<>();
        for (String payment : payments) {
            notifications.add(notification(payment));
        }
        String signingKey = key != null && !key.isBlank() ? key : keyFromDataDir();
        ProviderSimulator.Options options = new ProviderSimulator.Options(copies, reorder, dropRate, corruption,
                Duration.ofMillis(delayMs), signType, seed);
        List<ProviderSimulator.Delivery> deliveries;
        try {
            deliveries = new ProviderSimulator(url, signingKey).send(notifications, options);
        } catch (java.net.ConnectException notListening) {
            return refused("--url: nothing answers at " + url + " (is the service running? its port is HONGBAO_PORT)");
        } catch (java.io.IOException failed) {
            return refused("--url " + url + ": " + failed.getMessage());
        }
        boolean allAccepted = true;
        for (ProviderSimulator.Delivery d : deliveries) {
            if (d.dropped()) {
                System.out.printf("%s %d fen: dropped%n", d.notification().paymentId(), d.notification().amount());
            } else {
                System.out.printf("%s %d fen: HTTP %d %s %s%n", d.notification().paymentId(), d.notification().amount(),
                        d.status(), d.returnCode(), d.returnMsg());
                allAccepted &= "SUCCESS".equals(d.returnCode());
            }
        }
        return allAccepted ? 0 : 1;
    }

    /** One line, no stack trace, exit status 2: as every command's refusals. */
    private int refused(String problem) {
        spec.commandLine().getErr().println("hongbao provider-sim: " + problem);
        return 2;
    }

    /** "paymentId:amountInFen", or a one-line refusal (exit 2) saying what was expected. */
    private ProviderSimulator.Notification notification(String payment) {
        int colon = payment.lastIndexOf(':');
        String amount = colon < 1 ? "" : payment.substring(colon + 1);
        if (!amount.matches("[0-9]{1,15}")) {
            throw new ParameterException(spec.commandLine(), "--payment must be paymentId:amountInFen, as the send "
                    + "answer's payment gave them (e.g. hb1190530:888), not '" + payment + "'");
        }
        return new ProviderSimulator.Notification(payment.substring(0, colon), Long.parseLong(amount), !fail);
    }

    private String keyFromDataDir() {
        Path file = dataDir.resolve("payment.key");
        try {
            return Files.readString(file).strip();
        } catch (java.io.IOException unreadable) {
            String why = unreadable instanceof java.nio.file.NoSuchFileException ? "does not exist" : "cannot be read: "
                    + unreadable.getMessage();
            throw new ParameterException(spec.commandLine(), "--key: none given, and the service's " + file + " " + why
                    + "; give --key, HONGBAO_PAYMENT_KEY or the service's --data-dir");
        }
    }
}
