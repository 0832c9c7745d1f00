package hongbao.wxpay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts TCP connections to a loopback port. Each one is accepted and closed at once, so a parser that does connect
 * fails fast instead of hanging the test.
 */
final class ConnectionWatch implements AutoCloseable {
    private static final int ACCEPT_TIMEOUT_MILLIS = 50;

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean stopping;
    private volatile IOException failure;

    ConnectionWatch() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(ACCEPT_TIMEOUT_MILLIS);
        acceptor = Thread.ofPlatform().daemon().name("connection-watch").start(this::acceptUntilStopped);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The connections made before this call; returns within about one accept timeout. */
    int connectionsSoFar() throws IOException, InterruptedException {
        stopping = true;
        acceptor.join();
        if (failure != null) {
            throw failure;
        }
        return accepted.get();
    }

    private void acceptUntilStopped() {
        while (true) {
            // Read before accepting: once stopping is set, every earlier connection already waits in the backlog, so
            // an accept that started after it and timed out proves none is left.
            boolean lastRound = stopping;
            try (Socket connection = server.accept()) {
                accepted.incrementAndGet();
            } catch (SocketTimeoutException nothingYet) {
                if (lastRound) {
                    return;
                }
            } catch (IOException e) {
                failure = e;
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
