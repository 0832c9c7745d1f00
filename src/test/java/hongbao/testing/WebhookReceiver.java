package hongbao.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A host app's webhook endpoint, for real: an HTTP server that records every request and answers as told (200, 500,
 * or holds the request until released), and can be stopped and started again on its port (a receiver that is down).
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One request as it arrived, and the status it was answered with. */
    public record Delivery(String deliveryId, String type, String signature, String body, JsonNode event, int answered) {
    }

    private final int port;
    private final List<Delivery> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile CountDownLatch hold = new CountDownLatch(0);
    /** Requests arrived and not yet answered, and the most there ever were at once (guarded by {@link #requests}). */
    private int inFlight;
    private int inFlightMax;
    private HttpServer server;

    public WebhookReceiver() {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            this.port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/hooks/hongbao");
    }

    public synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hooks/hongbao", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                inFlightMax = Math.max(inFlightMax, ++inFlight);
                requests.notifyAll();
            }
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int answer = status;
            Delivery delivery = new Delivery(exchange.getRequestHeaders().getFirst("Hongbao-Delivery"),
                    exchange.getRequestHeaders().getFirst("Hongbao-Event"), exchange.getRequestHeaders().getFirst("Hongbao-Signature"),
                    body, MAPPER.readTree(body), answer);
            // Recorded before the answer: the sender's next request of the same packet comes only after it, so the list
            // is in sending order per packet.
            synchronized (requests) {
                requests.add(delivery);
                inFlight--;
                requests.notifyAll();
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public void answer(int newStatus) {
        status = newStatus;
    }

    /** Requests wait until {@link #release}. */
    public void holdRequests() {
        hold = new CountDownLatch(1);
    }

    public void release() {
        hold.countDown();
    }

    /** The most requests that were ever waiting for their answer at once. */
    public int inFlightMax() {
        synchronized (requests) {
            return inFlightMax;
        }
    }

    public List<Delivery> requests() {
        return List.copyOf(requests);
    }

    /** Waits, at most 20 s, until the condition (on the requests received) holds; looked at as each request arrives. */
    public void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        synchronized (requests) {
            while (!condition.getAsBoolean()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("not within 20 s: " + what + "; received " + requests);
                }
                try {
                    requests.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Override
    public void close() {
        release();
        stop();
    }
}
