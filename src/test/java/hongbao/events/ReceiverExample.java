package hongbao.events;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A host app's webhook receiver: checks Hongbao-Signature, refuses replays, handles each delivery once. */
public class ReceiverExample {
    public static HttpServer start(int port, String secret, Consumer<String> onEvent) throws Exception {
        Set<String> handled = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/hooks/hongbao", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String signature = exchange.getRequestHeaders().getFirst("Hongbao-Signature"); // t=<unix s>,v1=<hex>
            boolean ok = signature != null && signature.matches("t=[0-9]{1,12},v1=[0-9a-f]{64}");
            if (ok) {
                long t = Long.parseLong(signature.substring(2, signature.indexOf(',')));
                byte[] expected = hmacHex(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII);
                ok = Math.abs(System.currentTimeMillis() / 1000 - t) <= 300 // older than 5 minutes: a replay
                        && MessageDigest.isEqual(expected, signature.substring(signature.indexOf("v1=") + 3).getBytes(StandardCharsets.US_ASCII));
            }
            if (ok && handled.add(exchange.getRequestHeaders().getFirst("Hongbao-Delivery"))) {
                onEvent.accept(body); // at least once: a delivery id seen before is answered 200 and not handled again
            }
            exchange.sendResponseHeaders(ok ? 200 : 401, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    static String hmacHex(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
