package hongbao.paysim;

import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import hongbao.wxpay.WxXml;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A stand-in for the payment provider: builds WeChat-Pay-style payment notifications, signs them with the shared
 * key as WeChat Pay does (MD5 or HMAC-SHA256, without a sign_type field: the receiver knows which from its settings),
 * and posts them to the service — on time or late, once or several times, in order or shuffled, some
 * dropped, some corrupted — as a real provider's notifications may arrive. Used by the tests and by
 * {@code hongbao provider-sim}.
 */
public final class ProviderSimulator {
    private static final DateTimeFormatter TIME_END = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final URI notifyUrl;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public ProviderSimulator(URI notifyUrl, String key) {
        this.notifyUrl = notifyUrl;
        this.key = key;
    }

    /** What the provider reports: the payment (our out_trade_no), the amount in fen, success or failure. */
    public record Notification(String paymentId, long amount, boolean success) {
    }

    /** How a notification is damaged on its way. */
    public enum Corruption {
        NONE,
        /** A character of the signature changed: the service must answer 401. */
        SIGNATURE,
        /** total_fee changed after signing: the signature no longer matches, 401. */
        TAMPERED_AMOUNT,
        /** Correctly signed, but for one fen more than the payment: the service must answer 400. */
        WRONG_AMOUNT
    }

    /**
     * @param copies   how many times each notification is sent (duplicates)
     * @param shuffle  send in random order instead of as given
     * @param dropRate the share of sends silently not made
     * @param delay    wait before each send, as a slow provider would
     */
    public record Options(int copies, boolean shuffle, double dropRate, Corruption corruption, Duration delay,
            SignType signType, long seed) {
        public static final Options ONCE = new Options(1, false, 0, Corruption.NONE, Duration.ZERO, SignType.MD5, 1);

        public Options {
            if (copies < 1 || dropRate < 0 || dropRate > 1) {
                throw new IllegalArgumentException("copies must be >= 1 and the drop rate within 0..1");
            }
        }

        public Options withCopies(int n) {
            return new Options(n, shuffle, dropRate, corruption, delay, signType, seed);
        }

        public Options withCorruption(Corruption c) {
            return new Options(copies, shuffle, dropRate, c, delay, signType, seed);
        }

        public Options shuffled(long newSeed) {
            return new Options(copies, true, dropRate, corruption, delay, signType, newSeed);
        }
    }

    /** One send and how the service answered it; {@code dropped} sends have no answer. */
    public record Delivery(Notification notification, boolean dropped, int status, String returnCode, String returnMsg) {
    }

    public List<Delivery> send(List<Notification> notifications, Options options) throws IOException, InterruptedException {
        Random random = new Random(options.seed());
        List<Notification> queue = new ArrayList<>();
        for (Notification notification : notifications) {
            for (int copy = 0; copy < options.copies(); copy++) {
                queue.add(notification);
            }
        }
        if (options.shuffle()) {
            Collections.shuffle(queue, random);
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (Notification notification : queue) {
            if (random.nextDouble() < options.dropRate()) {
                deliveries.add(new Delivery(notification, true, 0, null, null));
                continue;
            }
            if (!options.delay().isZero()) {
                Thread.sleep(options.delay().toMillis());
            }
            deliveries.add(post(notification, body(notification, options.corruption(), options.signType(), random)));
        }
        return deliveries;
    }

    /** The signed XML body of a notification, damaged as asked. */
    public String body(Notification n, Corruption corruption, SignType signType, Random random) {
        long signedAmount = corruption == Corruption.WRONG_AMOUNT ? n.amount() + 1 : n.amount();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("appid", "wxhongbaosim0001");
        fields.put("mch_id", "1900000109");
        fields.put("nonce_str", HexFormat.of().formatHex(bytes(random, 16)));
        fields.put("return_code", "SUCCESS");
        fields.put("result_code", n.success() ? "SUCCESS" : "FAIL");
        if (!n.success()) {
            fields.put("err_code", "PAYERROR");
            fields.put("err_code_des", "the payer's bank refused the payment");
        }
        fields.put("openid", "sim-payer");
        fields.put("trade_type", "APP");
        fields.put("bank_type", "CMC");
        fields.put("total_fee", Long.toString(signedAmount));
        fields.put("cash_fee", Long.toString(signedAmount));
        fields.put("fee_type", "CNY");
        fields.put("transaction_id", "4200" + HexFormat.of().formatHex(bytes(random, 8)));
        fields.put("out_trade_no", n.paymentId());
        fields.put("time_end", LocalDateTime.now(ZoneOffset.ofHours(8)).format(TIME_END));
        Map<String, String> signed = new LinkedHashMap<>(fields);
        signed.put("sign", WxSignature.sign(fields, key, signType));
        switch (corruption) {
            case SIGNATURE -> signed.put("sign", flipFirst(signed.get("sign")));
            case TAMPERED_AMOUNT -> signed.put("total_fee", Long.toString(n.amount() + 100));
            case NONE, WRONG_AMOUNT -> {
            }
        }
        return WxXml.write(signed);
    }

    private Delivery post(Notification notification, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(notifyUrl)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/xml; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Map<String, String> answer = parseAnswer(response.body());
        return new Delivery(notification, false, response.statusCode(), answer.get("return_code"), answer.get("return_msg"));
    }

    private static Map<String, String> parseAnswer(String body) throws IOException {
        try {
            return WxXml.parse(body.getBytes(StandardCharsets.UTF_8));
        } catch (hongbao.wxpay.WxXmlException e) {
            throw new IOException("the service answered with something other than the provider XML: " + body, e);
        }
    }

    private static String flipFirst(String sign) {
        char first = sign.charAt(0);
        return (first == 'A' ? 'B' : 'A') + sign.substring(1);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
