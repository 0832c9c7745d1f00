package hongbao.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Keeps the bench command from rotting: a tiny run of every design must finish, balance and write its files. */
class BenchSmokeTest {

    @Test
    void aQuickBenchRunsEveryDesignAndWritesItsReport(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.json");
        int exit = new CommandLine(new BenchCommand()).execute("--quick", "--seconds", "3", "--out", out.toString());

        assertThat(exit).isZero();
        JsonNode report = Json.MAPPER.readTree(Files.readString(out));
        assertThat(report.get("scenarios")).hasSize(2);
        for (JsonNode scenario : report.get("scenarios")) {
            assertThat(scenario.get("designs")).extracting(d -> d.get("design").asText())
                    .containsExactly("engine", "pessimistic", "optimistic", "ceiling", "ceiling-100", "ceiling-layout");
            for (JsonNode design : scenario.get("designs")) {
                assertThat(design.get("balanced").asBoolean()).as(design.toString()).isTrue();
                assertThat(design.get("opensPerSecondMedian").asDouble()).as(design.toString()).isPositive();
            }
            assertThat(scenario.get("ratios").get("engine/pessimistic").asDouble()).isPositive();
            assertThat(scenario.get("ratios").get("engine/ceiling").asDouble()).isPositive();
            assertThat(scenario.get("ratios").get("engine/ceiling-layout").asDouble()).isPositive();
        }
        assertThat(Files.readString(dir.resolve("bench.svg"))).startsWith("<svg").contains("engine", "ceiling");
    }

    @Test
    void theScaleCheckMeasuresEachDesignAgainOnACopyOfTheHistory(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("history.json");
        int exit = new CommandLine(new BenchCommand()).execute("--quick", "--seconds", "2", "--scenarios", "storm",
                "--designs", "engine", "--history", "2000", "--out", out.toString());

        assertThat(exit).isZero();
        JsonNode scenario = Json.MAPPER.readTree(Files.readString(out)).get("scenarios").get(0);
        assertThat(scenario.get("designs")).extracting(d -> d.get("design").asText())
                .containsExactly("engine", "engine+history");
        assertThat(scenario.get("designs")).allSatisfy(d -> assertThat(d.get("balanced").asBoolean()).isTrue());
        assertThat(scenario.get("ratios").get("engine+history/engine").asDouble()).isPositive();
    }
}
