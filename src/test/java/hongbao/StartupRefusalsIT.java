package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.HongbaoProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a real process refuses to start, with one line naming what to change and exit status 2, on what
 * would otherwise run it wrongly: a key file emptied by a full disk, a configured key too short to be a secret, a
 * data directory another server is using.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StartupRefusalsIT {
    @TempDir
    Path dataDir;

    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    /** Keys from the data directory's files, not from the environment. */
    private HongbaoProcess.Launcher withKeyFiles() {
        return new HongbaoProcess.Launcher(dataDir, null, "", List.of())
                .withEnv(Map.of("HONGBAO_PAYMENT_KEY", ""));
    }

    private static void assertRefusedInOneLine(HongbaoProcess.Finished run, String... mentions) {
        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        List<String> lines = run.output().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("everything the refused start printed").hasSize(1);
        assertThat(lines.get(0)).startsWith("hongbao serve: ").contains(mentions);
    }

    @Test
    void aFirstStartWritesWholeOwnerOnlyKeysAndNoTemporaryFiles() throws Exception {
        HongbaoProcess server = withKeyFiles().serve("first", started);
        assertThat(server.process.isAlive()).isTrue();

        for (String name : List.of("admin.key", "token.secret", "payment.key")) {
            Path key = dataDir.resolve(name);
            assertThat(Files.readString(key, StandardCharsets.UTF_8).strip()).as(name).hasSizeGreaterThanOrEqualTo(43);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).as(name).isEqualTo("rw-------");
        }
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void anEmptyAdminKeyFileIsRefused() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("admin.key"), "");

        assertRefusedInOneLine(HongbaoProcess.run(withKeyFiles(), dataDir, 60, "serve"), "admin.key", "HONGBAO_ADMIN_KEY");
    }

    @Test
    void anEmptyPaymentKeyFileIsRefused() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("payment.key"), "\n");

        assertRefusedInOneLine(HongbaoProcess.run(withKeyFiles(), dataDir, 60, "serve"), "payment.key", "HONGBAO_PAYMENT_KEY");
    }

    @Test
    void aShortTokenSecretIsRefused() throws Exception {
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("token.secret"), "short");

        assertRefusedInOneLine(HongbaoProcess.run(withKeyFiles(), dataDir, 60, "serve"), "token.secret");
    }

    @Test
    void aConfiguredAdminKeyTooShortToBeASecretIsRefused() throws Exception {
        HongbaoProcess.Launcher launcher = new HongbaoProcess.Launcher(dataDir, null, "change-me", List.of());

        assertRefusedInOneLine(HongbaoProcess.run(launcher, dataDir, 60, "serve"), "HONGBAO_ADMIN_KEY", "16");
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsServing() throws Exception {
        HongbaoProcess.Launcher launcher = new HongbaoProcess.Launcher(dataDir, null, "startup-refusals-admin-key",
                List.of());
        HongbaoProcess first = launcher.serve("first", started);

        assertRefusedInOneLine(HongbaoProcess.run(launcher, dataDir, 60, "serve"), "another hongbao server", dataDir.toString());

        var health = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(first.baseUrl + "/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }
}
