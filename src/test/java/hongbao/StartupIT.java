package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.testing.HongbaoProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar started as the README starts it, in a real process: what a newcomer sees at start and when it fails. */
class StartupIT {
    @TempDir
    Path dir;

    private final List<HongbaoProcess> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        HongbaoProcess.destroyAll(started);
    }

    private HongbaoProcess.Launcher launcher() {
        return new HongbaoProcess.Launcher(dir.resolve("data"), null, "startup-admin-key", List.of());
    }

    @Test
    void theReadmesExpiryRecipeStartsAndHelidonLogsThroughOurs() throws Exception {
        HongbaoProcess server = launcher().withEnv(Map.of("HONGBAO_PACKET_TTL_SECONDS", "30")).serve("ttl-30", started);
        server.process.destroy();
        server.process.waitFor();
        assertThat(server.logTail()).contains("hongbao listening on")
                .doesNotContain("There is no Helidon logging implementation")
                .doesNotContain("Exception");
    }

    @Test
    void aPortInUseExitsWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            HongbaoProcess.Finished run = HongbaoProcess.run(
                    launcher().withEnv(Map.of("HONGBAO_PORT", Integer.toString(taken.getLocalPort()))), dir, 60, "serve");
            assertThat(run.exitCode()).as("%s", run).isEqualTo(2);
            assertThat(run.errLines()).singleElement().asString()
                    .startsWith("hongbao serve: HONGBAO_HOST (--host), HONGBAO_PORT (--port): cannot listen on 127.0.0.1:"
                            + taken.getLocalPort() + ": ")
                    .containsIgnoringCase("in use");
            assertThat(run.out()).doesNotContain("listening");
        }
    }

    @Test
    void benchWritesUnderTargetAndPrintsEachTableOnce() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        HongbaoProcess.Finished run = HongbaoProcess.run(launcher(), project, 120, "bench", "--quick", "--scenarios",
                "hot", "--designs", "ceiling", "--reps", "1", "--seconds", "2");
        assertThat(run.exitCode()).as("%s", run).isZero();
        try (Stream<Path> files = Files.list(project)) {
            assertThat(files).containsExactly(project.resolve("target"));
        }
        assertThat(project.resolve("target/bench.json")).isRegularFile();
        assertThat(project.resolve("target/bench.svg")).isRegularFile();
        assertThat(run.out().lines().filter(line -> line.startsWith("| design"))).hasSize(1);
        assertThat(run.out()).contains("wrote target/bench.json and target/bench.svg");
    }
}
