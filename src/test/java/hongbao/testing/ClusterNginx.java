package hongbao.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx with the configuration {@code hongbao cluster-nginx} prints for a cluster's nodes, run from its own
 * prefix directory on a free loopback port, as docs/cluster.md ("Routing with nginx") runs it.
 */
public final class ClusterNginx implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/nginx");
    private static final Duration LISTEN_MAX = Duration.ofSeconds(20);

    private final Process process;
    public final String baseUrl;

    private ClusterNginx(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Prints the configuration with {@code launcher}'s jar and starts nginx on it, in {@code dir}/nginx.
     *
     * @param nodePorts node {@code i} listens on 127.0.0.1:{@code nodePorts[i]}; SET s is node {@code s % nodes}'s
     */
    public static ClusterNginx start(Path dir, HongbaoProcess.Launcher launcher, int shards, int sets, int... nodePorts)
            throws Exception {
        int listen = freePort();
        Path prefix = dir.resolve("nginx");
        Files.createDirectories(prefix);
        // Started as root, nginx's workers run as nobody, who must reach the prefix and write its temporary files.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> args = new ArrayList<>(List.of("cluster-nginx", "--shards", Integer.toString(shards), "--sets",
                Integer.toString(sets)));
        for (int node = 0; node < nodePorts.length; node++) {
            args.addAll(List.of("--node", node + "=127.0.0.1:" + nodePorts[node]));
        }
        args.addAll(List.of("--listen", "127.0.0.1:" + listen));
        HongbaoProcess.Finished printed = HongbaoProcess.run(launcher, dir, 60, args.toArray(String[]::new));
        assertThat(printed.exitCode()).as("cluster-nginx: %s", printed.output()).isZero();
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, printed.out());
        Process nginx = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g",
                "daemon off;").redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        ClusterNginx started = new ClusterNginx(nginx, "http://127.0.0.1:" + listen);
        long deadline = System.nanoTime() + LISTEN_MAX.toNanos();
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", listen)) {
                return started;
            } catch (IOException notYet) {
                if (!nginx.isAlive() || System.nanoTime() > deadline) {
                    started.close();
                    throw new AssertionError("nginx does not listen within " + LISTEN_MAX + ": "
                            + Files.readString(prefix.resolve("nginx.out")));
                }
                Thread.sleep(20);
            }
        }
    }

    /** SIGTERM: nginx's master stops its workers (killed, it would leave them holding the port). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
