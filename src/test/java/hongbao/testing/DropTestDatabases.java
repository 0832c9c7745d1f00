package hongbao.testing;

import hongbao.store.postgres.PostgresAdmin;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drops the test databases a test JVM created, in a process of its own that the JVM starts as it exits. Each DROP
 * DATABASE waits for a PostgreSQL checkpoint, so a suite's hundred-odd drops take longer than the 30 s Surefire
 * gives a JVM to exit (it then kills it, and says so); dropped here, they cost the build nothing. What this process
 * did or failed to do is in {@code target/dropped-test-databases.log}.
 */
public final class DropTestDatabases {
    static final Path LOG = Path.of(System.getProperty("basedir", "."), "target", "dropped-test-databases.log");
    private static final String ADMIN_URL = "HONGBAO_TEST_PG_ADMIN_URL";

    private DropTestDatabases() {
    }

    /** Starts the process for these databases and returns it at once, running. */
    static Process startFor(String adminUrl, List<String> databases) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                DropTestDatabases.class.getName()));
        command.addAll(databases);
        ProcessBuilder process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
        process.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        process.environment().put(ADMIN_URL, adminUrl);
        Files.createDirectories(LOG.getParent());
        return process.start();
    }

    public static void main(String[] databases) {
        PostgresAdmin admin = new PostgresAdmin(System.getenv(ADMIN_URL));
        AtomicInteger dropped = new AtomicInteger();
        // Side by side: concurrent drops share the checkpoints they wait for.
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (String database : databases) {
                pool.execute(() -> {
                    try {
                        admin.drop(database);
                        dropped.incrementAndGet();
                    } catch (RuntimeException e) {
                        System.out.println("could not drop test database " + database + ": " + e.getMessage());
                    }
                });
            }
        }
        System.out.println(Instant.now() + " dropped " + dropped + " of " + databases.length + " test databases");
    }
}
