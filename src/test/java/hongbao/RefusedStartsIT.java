package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.HongbaoProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's start-up slips, in real processes: a setting from the environment that does not parse names its variable;
 * a refused start leaves nothing behind (no data directory, no key file, no key printed); the helper commands follow
 * HONGBAO_PORT; a SIGTERM stop says what it committed and how it exits.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RefusedStartsIT {
    @TempDir
    Path dir;

    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    /** Keys from the data directory's files (generated on a first start), as the README's set-up has them. */
    private HongbaoProcess.Launcher generatedKeys(Path dataDir) {
        return new HongbaoProcess.Launcher(dataDir, null, "", List.of()).withEnv(Map.of("HONGBAO_PAYMENT_KEY", ""));
    }

    @Test
    void aPortThatIsNotANumberInTheEnvironmentNamesTheVariable() throws Exception {
        Path dataDir = dir.resolve("data");
        HongbaoProcess.Finished run = HongbaoProcess.run(generatedKeys(dataDir).withEnv(Map.of("HONGBAO_PORT", "abc")),
                dir, 60, "serve");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("hongbao serve: HONGBAO_PORT (--port): 'abc' is not an int");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void tooManyShardsInTheEnvironmentBlamesTheShardsAlone() throws Exception {
        Path dataDir = dir.resolve("data");
        HongbaoProcess.Finished run = HongbaoProcess.run(generatedKeys(dataDir).withEnv(Map.of("HONGBAO_SHARDS", "100")),
                dir, 60, "serve");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .isEqualTo("hongbao serve: HONGBAO_SHARDS (--shards): must be at most 64, not 100");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aStartRefusedForAPortInUseGeneratesAndPrintsNothing() throws Exception {
        Path dataDir = dir.resolve("data");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            HongbaoProcess.Finished run = HongbaoProcess.run(
                    generatedKeys(dataDir).withEnv(Map.of("HONGBAO_PORT", Integer.toString(taken.getLocalPort()))), dir, 60,
                    "serve");
            assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
            assertThat(run.errLines()).singleElement().asString().contains("HONGBAO_PORT (--port)").containsIgnoringCase("in use");
            assertThat(run.out()).as("standard output").isEmpty();
        }
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aStartRefusedByItsStoreLeavesNoDataDirectoryAndNoKeys() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Path dataDir = dir.resolve("data");
        HongbaoProcess.Finished run = HongbaoProcess.run(generatedKeys(dataDir)
                .withEnv(Map.of("HONGBAO_STORE", "postgresql://nobody@127.0.0.1:" + closedPort + "/hongbao")), dir, 60, "serve");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        assertThat(run.errLines()).last().asString().startsWith("hongbao serve: HONGBAO_STORE (--store): cannot connect");
        assertThat(run.out()).doesNotContain("admin key");
        assertThat(dataDir).doesNotExist();
    }

    @Test
    void aStartRefusedInAnExistingDataDirectoryWritesNoKeyFileThere() throws Exception {
        // (its lock file stays: deleting a lock file another start may be opening would let two servers in)
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dataDir.resolve("notes.txt"), "the operator's own file");
        HongbaoProcess.Finished run = HongbaoProcess.run(generatedKeys(dataDir).withEnv(Map.of("HONGBAO_STORE",
                "postgresql://nobody@127.0.0.1:1/hongbao")), dir, 60, "serve");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("notes.txt", "serve.lock");
        }
    }

    @Test
    void providerSimAndMerchantSendFollowHongbaoPort() throws Exception {
        HongbaoProcess server = new HongbaoProcess.Launcher(dir.resolve("data"), null, "refused-starts-admin-key", List.of())
                .serve("server", started);
        String port = Integer.toString(URI.create(server.baseUrl).getPort());
        HongbaoProcess.Launcher onThatPort = generatedKeys(dir.resolve("elsewhere")).withEnv(Map.of("HONGBAO_PORT", port,
                "HONGBAO_PAYMENT_KEY", HongbaoProcess.PROVIDER_KEY));

        HongbaoProcess.Finished notified = HongbaoProcess.run(onThatPort, dir, 60, "provider-sim", "--payment",
                "hb-no-such-payment:888");
        assertThat(notified.err()).as("%s", notified).doesNotContain("nothing answers");
        assertThat(notified.out()).as("%s", notified).contains("hb-no-such-payment 888 fen: HTTP ");

        HongbaoProcess.Finished sent = HongbaoProcess.run(onThatPort, dir, 60, "merchant-send", "--mch-id", "1900000109",
                "--key", "192006250b4c09247ec02edce69f6a2d", "--wxappid", "wxhongbaodemo001", "--openid", "oBob",
                "--amount", "100");
        assertThat(sent.err()).as("%s", sent).doesNotContain("nothing answers");
        assertThat(sent.out()).as("%s", sent).startsWith("<xml>");
    }

    @Test
    void aStopAfterSigtermSaysWhatItCommittedAndHowItExits() throws Exception {
        HongbaoProcess server = new HongbaoProcess.Launcher(dir.resolve("data"), null, "refused-starts-admin-key", List.of())
                .withEnv(Map.of("HONGBAO_DRAIN_SECONDS", "0")).serve("server", started);
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl + "/v1/admin/users"))
                .header("Authorization", "Bearer refused-starts-admin-key")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"alice\",\"name\":\"Alice\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // kill(1), not Process.destroy(): that closes the streams the last lines come on
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(server.process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -TERM").isTrue();
        assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(server.process.exitValue()).isZero();
        assertThat(server.awaitLine(line -> line.contains("stopped: "), java.time.Duration.ofSeconds(10)))
                .containsPattern("stopped: \\d+ commands committed in \\d+ group commits since start");
        assertThat(server.awaitLine(line -> line.contains("exiting with status"), java.time.Duration.ofSeconds(10)))
                .contains("drained and stopped; exiting with status 0");
    }
}
