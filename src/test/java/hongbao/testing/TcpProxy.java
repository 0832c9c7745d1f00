package hongbao.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A loopback TCP proxy in front of a database, for partitions a test controls: it forwards bytes both ways until
 * black-holed, when it keeps every socket open and drops every byte (a network that loses packets instead of refusing
 * them); {@link #heal} then resets the connections that lost bytes and forwards again. It can also black-hole the
 * moment a client sends a given statement after another (say a COMMIT after an UPDATE of a given table) on one
 * connection, so that the statement reaches the server and its answer is lost. The PostgreSQL driver must then send
 * statements as text every time ({@code prepareThreshold=0}).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Link> links = new ArrayList<>();
    private volatile boolean blackHoled;
    private volatile Trigger trigger;
    private final CountDownLatch triggered = new CountDownLatch(1);

    private record Trigger(String after, String statement) {
    }

    private TcpProxy(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
        Thread.ofPlatform().daemon().name("tcp-proxy-accept").start(this::accept);
    }

    public static TcpProxy to(String host, int port) {
        try {
            return new TcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Drops every byte from now on, both ways, on every connection, new ones included; sockets stay open. */
    public void blackHole() {
        blackHoled = true;
    }

    /**
     * Black-holes once a client sends {@code statement} on a connection after it sent {@code after}: the statement
     * reaches the server, its answer (and everything else) is lost.
     */
    public void blackHoleAfter(String after, String statement) {
        trigger = new Trigger(after, statement);
    }

    /** Waits until {@link #blackHoleAfter} fired. */
    public boolean awaitTriggered(long timeout, TimeUnit unit) throws InterruptedException {
        return triggered.await(timeout, unit);
    }

    /** Resets every connection open during the black hole (their byte streams lost bytes) and forwards again. */
    public void heal() {
        synchronized (links) {
            if (!blackHoled) {
                return;
            }
            for (Link link : links) {
                link.reset();
            }
            links.clear();
            blackHoled = false;
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5_000);
                Link link = new Link(client, server);
                synchronized (links) {
                    links.add(link);
                }
                Thread.ofPlatform().daemon().name("tcp-proxy-up").start(() -> link.pump(client, server, true));
                Thread.ofPlatform().daemon().name("tcp-proxy-down").start(() -> link.pump(server, client, false));
            } catch (IOException closed) {
                if (!listener.isClosed()) {
                    throw new UncheckedIOException(closed);
                }
            }
        }
    }

    /** One client connection and its server connection. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        /** What the client sent since {@link Trigger#after}, as text (statements travel as text). */
        private final StringBuilder sentAfter = new StringBuilder();
        private boolean sawAfter;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void pump(Socket from, Socket to, boolean up) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    boolean fire = up && fires(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                    if (fire) {
                        // Before the bytes go on: the answer to them must find the proxy black-holed.
                        blackHoled = true;
                        triggered.countDown();
                    }
                    if (!blackHoled || fire) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException ended) {
                // One side closed or was reset: the other goes too, as through a real connection.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                synchronized (links) {
                    links.remove(this);
                }
            }
        }

        /** Whether this chunk completes the armed trigger on this connection (it is then disarmed). */
        private boolean fires(String chunk) {
            synchronized (TcpProxy.this) {
                Trigger armed = trigger;
                if (armed == null || blackHoled) {
                    return false;
                }
                if (!sawAfter) {
                    int at = chunk.indexOf(armed.after());
                    if (at < 0) {
                        return false;
                    }
                    sawAfter = true;
                    chunk = chunk.substring(at + armed.after().length());
                }
                sentAfter.append(chunk);
                if (sentAfter.indexOf(armed.statement()) < 0) {
                    return false;
                }
                trigger = null;
                return true;
            }
        }

        void reset() {
            try {
                client.setSoLinger(true, 0);
            } catch (IOException alreadyClosed) {
                // Closed already: nothing to reset.
            }
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket that failed: nothing left to release.
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (links) {
            links.forEach(Link::reset);
            links.clear();
        }
    }
}
