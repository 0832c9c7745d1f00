package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every series the Grafana dashboard (deploy/grafana/hongbao.json) queries is one a real server exports on
 * {@code /metrics}, once it has answered a few opens: a renamed meter or a misspelt query fails here, not on a
 * dashboard that quietly shows "No data".
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("deploy/grafana/hongbao.json");
    /** What PromQL puts between a function's or aggregation's name and its arguments: label lists. */
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    @Test
    void everySeriesTheDashboardQueriesIsExported() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Set<String> queried = seriesQueried(dashboard);
        assertThat(queried).as("the dashboard's queries name series").hasSizeGreaterThanOrEqualTo(7);

        Set<String> exported;
        try (TestServer server = TestServer.start()) {
            openSome(server);
            exported = seriesExported(scrape(server));
        }
        assertThat(exported).as("series the dashboard queries, missing from /metrics").containsAll(queried);
    }

    @Test
    void theMetricNamesOfAQueryAreFoundAndItsLabelsAndFunctionsAreNot() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le) (rate(hongbao_x_bucket{outcome=\"ok\", a=~\"$b\"}[$__rate_interval])))"
                + " / ignoring(outcome) sum without (worker) (hongbao_y) and on(instance) hongbao_z offset 5m"))
                .containsExactlyInAnyOrder("hongbao_x_bucket", "hongbao_y", "hongbao_z");
        assertThat(metricNames("label_values(hongbao_opens_total, instance)")).containsExactly("hongbao_opens_total");
    }

    private static Set<String> seriesQueried(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            panel.get("targets").forEach(target -> queries.add(target.get("expr").asText()));
        }
        for (JsonNode variable : dashboard.get("templating").get("list")) {
            if ("query".equals(variable.get("type").asText())) {
                queries.add(variable.get("definition").asText());
            }
        }
        return queries.stream().flatMap(query -> metricNames(query).stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The metric names in a PromQL expression (or Grafana's {@code label_values(metric, label)}). */
    static Set<String> metricNames(String query) {
        Set<String> names = new TreeSet<>();
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.find()) {
            names.add(labelValues.group(1));
            return names;
        }
        String bare = LABEL_LIST.matcher(query
                .replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\boffset\\s+\\S+", " ")).replaceAll(" ");
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean calledAsFunction = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!calledAsFunction && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    private static void openSome(TestServer server) {
        ApiClient alice = server.user("alice");
        ApiClient bob = server.user("bob");
        ApiClient carol = server.user("carol");
        server.group("family", List.of("alice", "bob", "carol"));
        server.deposit("alice", 10_000, "dep-1");
        String packet = alice.post("/v1/packets", "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"family\",\"total\":100,\"count\":1}")
                .expectStatus(201).json().get("id").asText();
        bob.post("/v1/packets/" + packet + "/open", null).expectStatus(200);
        carol.post("/v1/packets/" + packet + "/open", null).expectStatus(409);
    }

    private static String scrape(TestServer server) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Sample names as scraped, their suffixes (_total, _bucket, _count, _sum, _max) included. */
    private static Set<String> seriesExported(String exposition) {
        return exposition.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
