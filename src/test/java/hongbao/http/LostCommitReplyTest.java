package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.testing.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A send whose transaction's COMMIT reaches PostgreSQL and commits, but whose answer is lost with the connection (a
 * loopback proxy between the server and the database cuts the connection instead of passing the answer on). The send
 * was applied, so the answer must not be 503 "nothing applied": it is 504 OUTCOME_UNKNOWN, and the retry with the same
 * Idempotency-Key gets the send's answer without paying twice.
 */
class LostCommitReplyTest {
    private static final String MARKER = "lost-commit-reply";

    private CommitReplyCutter cutter;
    private TestServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (cutter != null) {
            cutter.close();
        }
    }

    @Test
    void aSendWhoseCommitAnswerIsLostIsOutcomeUnknownAndItsRetryWithTheKeyPaysOnce() throws IOException {
        assumeTrue(TestStores.postgres(), "only a database over a network loses the answer to a COMMIT");
        URI database = URI.create(TestStores.freshPostgresUrl());
        cutter = new CommitReplyCutter(database.getPort() < 0 ? 5432 : database.getPort());
        String throughCutter = database.toString().replace(database.getHost() + ":" + database.getPort(),
                "127.0.0.1:" + cutter.port());
        server = TestServer.start(TestServer.config(TestServer.freshDir()).withStore(throughCutter));
        ApiClient alice = server.user("alice");
        server.user("bob");
        server.deposit("alice", 10_000, "dep-alice");

        String send = "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":500,\"count\":1,\"greeting\":\"" + MARKER + "\"}";
        Map<String, String> key = Map.of("Idempotency-Key", "send-once");
        ApiClient.Response lost = alice.post("/v1/packets", send, key);
        assertThat(cutter.cut.get()).as("the proxy cut the answer to the send's COMMIT").isTrue();
        assertThat(lost.status()).as("the send's COMMIT took; its answer was lost\n%s", lost.body()).isEqualTo(504);
        assertThat(lost.errorCode()).isEqualTo("OUTCOME_UNKNOWN");
        assertThat(alice.get("/v1/wallet").expectOk().json().get("balance").asLong()).as("the send was applied").isEqualTo(9_500);

        JsonNode retried = alice.post("/v1/packets", send, key).expectStatus(201).json();
        assertThat(retried.get("greeting").asText()).isEqualTo(MARKER);
        assertThat(alice.get("/v1/wallet").expectOk().json().get("balance").asLong()).as("paid once").isEqualTo(9_500);
        assertThat(alice.get("/v1/packets?role=sent").expectOk().json().get("items")).hasSize(1);
    }

    /**
     * Passes PostgreSQL's connections through, except once: on the connection whose transaction carries the marker, the
     * COMMIT goes to the database and its answer is dropped, the connection cut.
     */
    private static final class CommitReplyCutter implements AutoCloseable {
        final AtomicBoolean cut = new AtomicBoolean();
        private final ServerSocket listener;
        private final int databasePort;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        CommitReplyCutter(int databasePort) throws IOException {
            this.databasePort = databasePort;
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("commit-reply-cutter").start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        private void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    Socket database = new Socket(InetAddress.getLoopbackAddress(), databasePort);
                    sockets.add(client);
                    sockets.add(database);
                    AtomicBoolean commitSent = new AtomicBoolean();
                    Thread.ofPlatform().daemon().start(() -> up(client, database, commitSent));
                    Thread.ofPlatform().daemon().start(() -> down(database, client, commitSent));
                } catch (IOException closed) {
                    if (!listener.isClosed()) {
                        throw new java.io.UncheckedIOException(closed);
                    }
                }
            }
        }

        private void up(Socket client, Socket database, AtomicBoolean commitSent) {
            boolean marked = false;
            byte[] buffer = new byte[65536];
            try (InputStream in = client.getInputStream(); OutputStream out = database.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    marked |= text.contains(MARKER);
                    if (marked && text.contains("COMMIT") && !cut.get()) {
                        commitSent.set(true);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                close(database);
            }
        }

        private void down(Socket database, Socket client, AtomicBoolean commitSent) {
            byte[] buffer = new byte[65536];
            try (InputStream in = database.getInputStream(); OutputStream out = client.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (commitSent.get() && cut.compareAndSet(false, true)) {
                        close(client);
                        close(database);
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ended) {
                close(client);
            }
        }

        private static void close(Socket socket) {
            try {
                socket.close();
            } catch (IOException alreadyGone) {
                // Its peer is gone already: nothing is left to cut.
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : sockets) {
                close(socket);
            }
        }
    }
}
