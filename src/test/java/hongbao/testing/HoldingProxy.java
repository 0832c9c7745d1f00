package hongbao.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of one server that can hold the bytes sent to it: while held, a request reaches the
 * proxy (the sender's connection is made and its bytes are taken) but not the server, until {@link #release}; then
 * the server gets it whole, as from a slow network or a paused owner. It keeps a copy of every byte sent through it.
 */
public final class HoldingProxy implements AutoCloseable {
    private static final long MAX_HOLD_SECONDS = 60;

    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final StringBuffer sent = new StringBuffer();
    private volatile int targetPort = -1;
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public HoldingProxy() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("holding-proxy").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Where the bytes go: set once the server listens (its URL may have to name this proxy before it starts). */
    public void target(int port) {
        targetPort = port;
    }

    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    /** Every byte sent towards the server so far, as ISO-8859-1 text. */
    public String sent() {
        return sent.toString();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(server);
                Thread.ofPlatform().daemon().name("holding-proxy-up").start(() -> up(client, server));
                Thread.ofPlatform().daemon().name("holding-proxy-down").start(() -> copy(server, client));
            } catch (IOException closed) {
                if (!listener.isClosed()) {
                    throw new java.io.UncheckedIOException(closed);
                }
            }
        }
    }

    /**
     * Towards the server, through the gate. The client may give up and close its end meanwhile: what it sent is still
     * delivered, and the server's end stays open so that the server finishes the request as it would on a slow link.
     */
    private void up(Socket client, Socket server) {
        byte[] buffer = new byte[8192];
        try (InputStream in = client.getInputStream()) {
            OutputStream out = server.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sent.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (!gate.await(MAX_HOLD_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("held for more than " + MAX_HOLD_SECONDS + " s: release() was not called");
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ended) {
            closeQuietly(server);
        }
    }

    /** Back to the client; its end may be closed already (it gave up waiting), which ends the copy. */
    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException alreadyGone) {
            // Closing a socket whose peer is gone: there is nothing left to release.
        }
    }

    @Override
    public void close() throws IOException {
        gate.countDown();
        listener.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
