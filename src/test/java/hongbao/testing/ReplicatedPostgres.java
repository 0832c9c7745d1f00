package hongbao.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a streaming standby of their own, made from Debian's PostgreSQL 15 binaries (initdb,
 * pg_basebackup, pg_ctl) on free loopback ports in a temporary directory, for tests of a SET whose database dies: the
 * primary can be SIGKILLed (every one of its processes, as when its machine dies) and the standby promoted.
 * initdb refuses to run as root, so as root (as CI runs) every server command runs as the user {@code postgres}.
 */
public final class ReplicatedPostgres implements AutoCloseable {
    public static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String OS_USER = "postgres";
    private static final Duration COMMAND_MAX = Duration.ofSeconds(60);
    private static final Duration STREAMING_MAX = Duration.ofSeconds(30);

    /** How the primary acknowledges a commit. */
    public enum Replication {
        /** Only once the standby has the commit's WAL on disk ({@code synchronous_commit = on}). */
        SYNCHRONOUS("'*'"),
        /** As soon as the primary has it: a promoted standby may lack commits acknowledged just before the kill. */
        ASYNCHRONOUS("''");

        private final String standbyNames;

        Replication(String standbyNames) {
            this.standbyNames = standbyNames;
        }
    }

    /** One server: its data directory and port. */
    public record Server(String name, Path data, int port) {
        public String hostPort() {
            return "127.0.0.1:" + port;
        }

        public Connection connect(String database) throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://" + hostPort() + "/" + database, OS_USER, "");
        }
    }

    private final Path dir;
    public final Server primary;
    public final Server standby;

    private ReplicatedPostgres(Path dir, Server primary, Server standby) {
        this.dir = dir;
        this.primary = primary;
        this.standby = standby;
    }

    /** Whether this machine has the binaries (a test then calls {@link Required#tool}). */
    public static boolean available() {
        return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_basebackup"));
    }

    public static ReplicatedPostgres start(Replication replication) throws Exception {
        Path dir = Files.createTempDirectory("hongbao-replicated-pg-");
        ownedByServerUser(dir);
        ReplicatedPostgres pair = new ReplicatedPostgres(dir, new Server("primary", dir.resolve("primary"), freePort()),
                new Server("standby", dir.resolve("standby"), freePort()));
        try {
            pair.startPrimary(replication);
            pair.startStandby();
            pair.awaitStreaming(replication);
            return pair;
        } catch (Exception | AssertionError e) {
            pair.close();
            throw e;
        }
    }

    private void startPrimary(Replication replication) throws Exception {
        run(BIN.resolve("initdb").toString(), "-D", primary.data().toString(), "-U", OS_USER, "--auth=trust", "--no-sync");
        // fsync off: the test kills processes, never the machine, and the kernel keeps whatever a process wrote.
        // wal_log_hints: pg_rewind can then bring a demoted primary back as a standby of the promoted one.
        appendConfig(primary, "wal_level = replica", "max_wal_senders = 4", "wal_keep_size = 128MB", "wal_log_hints = on",
                "synchronous_standby_names = " + replication.standbyNames, "synchronous_commit = on", "fsync = off",
                "shared_buffers = 32MB", "max_connections = 60");
        pgCtl(primary, "start");
    }

    private void startStandby() throws Exception {
        run(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primary.port()), "-U",
                OS_USER, "-D", standby.data().toString(), "-X", "stream", "-R", "--checkpoint=fast", "--no-sync");
        // Promoted, it has no standby of its own: were it to wait for one, no commit would ever be acknowledged.
        appendConfig(standby, "synchronous_standby_names = ''");
        pgCtl(standby, "start");
    }

    /** Until the primary reports the standby streaming (and, if asked, as its synchronous standby). */
    private void awaitStreaming(Replication replication) throws Exception {
        String wanted = replication == Replication.SYNCHRONOUS ? "sync" : "async";
        awaitStreamingTo(primary, "sync_state = '" + wanted + "'", standby);
    }

    /** Until {@code sender} streams to one standby (its {@code pg_stat_replication} row passing {@code condition}). */
    private void awaitStreamingTo(Server sender, String condition, Server receiver) throws Exception {
        long deadline = System.nanoTime() + STREAMING_MAX.toNanos();
        try (Connection connection = sender.connect("postgres"); Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet rs = statement.executeQuery(
                        "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND " + condition)) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        return;
                    }
                }
                assertThat(System.nanoTime() < deadline).as("%s streams to %s (%s) within %s\n%s", sender.name(),
                        receiver.name(), condition, STREAMING_MAX, logTail(receiver)).isTrue();
                Thread.sleep(100);
            }
        }
    }

    public void createDatabase(String name) throws SQLException {
        try (Connection connection = primary.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /** pgjdbc's multi-host URL naming both servers: the driver finds whichever is the primary now. */
    public String url(String database) {
        return "postgresql://" + OS_USER + "@" + primary.hostPort() + "," + standby.hostPort() + "/" + database
                + "?targetServerType=primary";
    }

    /** SIGKILL to the primary's postmaster and every process under it, at once: the machine died. */
    public void killPrimary() throws Exception {
        ProcessHandle postmaster = postmaster(primary).orElseThrow(() -> new AssertionError("the primary is not running"));
        List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
        all.add(postmaster);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : all) {
            process.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    private static java.util.Optional<ProcessHandle> postmaster(Server server) throws IOException {
        Path pidFile = server.data().resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return java.util.Optional.empty();
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /**
     * Stops the standby (a fast shutdown): it has what it received so far and no more, so that (replication being
     * asynchronous) the primary goes on acknowledging commits the standby lacks. (Pausing its WAL receiver would not
     * do: the primary's WAL would wait in the socket's buffers and arrive when it resumed.)
     */
    public void stopStandby() throws Exception {
        run(BIN.resolve("pg_ctl").toString(), "-D", standby.data().toString(), "-m", "fast", "-w", "stop");
    }

    /** Starts the stopped standby again, as a standby: it cannot reach a dead primary, so it has only what it had. */
    public void restartStandby() throws Exception {
        pgCtl(standby, "start");
    }

    /** Whether the primary takes a connection. */
    public boolean primaryAnswers() {
        try (Connection connection = primary.connect("postgres")) {
            return connection.isValid(2);
        } catch (SQLException refused) {
            return false;
        }
    }

    /** {@code pg_ctl promote}: the standby leaves recovery and takes writes. */
    public void promoteStandby() throws Exception {
        run(BIN.resolve("pg_ctl").toString(), "-D", standby.data().toString(), "-w", "-t", "30", "promote");
    }

    /**
     * Starts the killed primary again as it was, a primary on its old timeline: what its init system does when its
     * machine comes back, and what an operator must never let happen (docs/cluster.md, "A demoted primary"). In the
     * worst case: no longer waiting for a synchronous standby (it has none), so that a write to it would be committed
     * and acknowledged, not merely committed locally while its COMMIT waits for ever.
     */
    public void restartOldPrimary() throws Exception {
        pgCtl(primary, "start", "-c synchronous_standby_names=''");
    }

    public void stopOldPrimary() throws Exception {
        run(BIN.resolve("pg_ctl").toString(), "-D", primary.data().toString(), "-m", "fast", "-w", "stop");
    }

    /**
     * What docs/cluster.md tells an operator to do with a demoted primary: {@code pg_rewind} it onto the promoted
     * standby's timeline ({@code -R} writes standby.signal and a primary_conninfo naming the promoted one), start it, and
     * wait until it streams from the new primary (a checkpoint on the new primary first, as cluster.md says).
     */
    public void rejoinOldPrimaryAsStandby() throws Exception {
        // Until its first checkpoint, the promoted server's control file still names the old timeline, and pg_rewind
        // would find "no rewind required" and leave the old primary unable to follow.
        try (Connection connection = standby.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        }
        run(BIN.resolve("pg_rewind").toString(), "--target-pgdata=" + primary.data(), "--source-server=host=127.0.0.1 port="
                + standby.port() + " user=" + OS_USER + " dbname=postgres", "-R", "--no-sync");
        pgCtl(primary, "start");
        awaitStreamingTo(standby, "true", primary);
    }

    /** @param options more of the server's settings, as {@code -c name=value} (pg_ctl hands them to a shell) */
    private void pgCtl(Server server, String action, String... options) throws Exception {
        run(BIN.resolve("pg_ctl").toString(), "-D", server.data().toString(), "-l", log(server).toString(), "-w", "-t",
                "30", "-o", "-p " + server.port() + " -k " + dir + " -c listen_addresses=127.0.0.1 " + String.join(" ", options),
                action);
    }

    private void appendConfig(Server server, String... lines) throws IOException {
        Files.writeString(server.data().resolve("postgresql.conf"), "\n" + String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    private Path log(Server server) {
        return dir.resolve(server.name() + ".log");
    }

    public String logTail(Server server) {
        try {
            List<String> lines = Files.exists(log(server)) ? Files.readAllLines(log(server)) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(String... command) throws Exception {
        List<String> line = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        // Read to the end on this thread; the bound is the process's own wait below (pg_ctl -t, connect timeouts).
        var output = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(COMMAND_MAX.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", line) + " did not end within " + COMMAND_MAX);
        }
        String printed = output.get(10, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("%s\n%s", String.join(" ", line), printed).isZero();
    }

    private static void ownedByServerUser(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
            Files.setOwner(dir, owner);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Stops whatever still runs at once and removes the directory. */
    @Override
    public void close() throws Exception {
        for (Server server : List.of(primary, standby)) {
            if (postmaster(server).isPresent()) {
                run(BIN.resolve("pg_ctl").toString(), "-D", server.data().toString(), "-m", "immediate", "-w", "stop");
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
