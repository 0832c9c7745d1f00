package hongbao.bench;

import com.fasterxml.jackson.databind.JsonNode;
import hongbao.domain.AuditReport;
import hongbao.http.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The storm over real HTTP: sets up users, a group and packets on a running server through its API, then opens
 * from many concurrent clients on loopback, so that the HTTP layer's cost shows beside the in-process figures.
 */
final class HttpLoad {
    /** Enough that, hashed, they land in every SET of a cluster (packets are created in their sender's SET). */
    private static final int SENDERS = 24;
    private final URI base;
    private final String adminKey;
    private final PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    HttpLoad(URI base, String adminKey, PrintStream progress) {
        this.base = base;
        this.adminKey = adminKey;
        this.progress = progress;
    }

    RunResult run(Scenario scenario, int rep, Duration limit) throws Exception {
        Storm storm = setUp(scenario, rep, scenario::openersFor);
        progress.printf("  http   set up %d users and %d packets; storming %,d opens from %d clients%n", storm.tokens.size(),
                storm.packets, storm.plan.size(), scenario.concurrency());
        try (OverHttp design = new OverHttp(storm.tokens)) {
            OpenRunner.Counts counts = OpenRunner.run(design, storm.plan, scenario.concurrency(), limit);
            return RunResult.of(design.name(), rep, counts, 0, design.audit().balanced(), null);
        }
    }

    /**
     * Sets the scenario's packets up and writes one open per share to {@code file}, one "packetId token" line each in
     * random order, for a load generator of its own (wrk, deploy/wrk/opens.lua): every line is a fresh open that
     * succeeds, and the same lines make grabs that each answer for a share still there.
     */
    void writePlan(Scenario scenario, java.nio.file.Path file) throws Exception {
        Storm storm = setUp(scenario, 0, count -> count);
        List<String> lines = new ArrayList<>(storm.plan.size());
        for (Fixture.PlannedOpen open : storm.plan) {
            lines.add(open.packetId() + " " + storm.tokens.get(open.userId()));
        }
        java.nio.file.Files.write(file, lines);
        progress.printf("  http   set up %d users and %d packets; wrote %,d fresh opens to %s%n", storm.tokens.size(),
                storm.packets, lines.size(), file);
    }

    private record Storm(Map<String, String> tokens, int packets, List<Fixture.PlannedOpen> plan) {
    }

    private Storm setUp(Scenario scenario, int rep, java.util.function.IntUnaryOperator openersFor) throws Exception {
        String prefix = "h" + Long.toString(System.currentTimeMillis(), 36) + "r" + rep;
        // A group packet has at most one share per member: the group is never smaller than the largest packet.
        int users = Math.max(scenario.maxOpenersPerPacket(), Collections.max(scenario.shareCounts()));
        Map<String, String> tokens = setUpUsers(prefix, users);
        List<Fixture.PlannedOpen> plan = new ArrayList<>();
        long[] funding = new long[SENDERS];
        List<Integer> counts = scenario.shareCounts();
        for (int i = 0; i < counts.size(); i++) {
            funding[i % SENDERS] += counts.get(i) * Fixture.SHARE_MEAN;
        }
        for (int s = 0; s < SENDERS; s++) {
            if (funding[s] > 0) {
                call("POST", "/v1/admin/users/" + sender(prefix, s) + "/deposits", adminKey,
                        "{\"amount\":" + funding[s] + ",\"reference\":\"" + prefix + "-funding-" + s + "\"}", 201);
            }
        }
        List<String> packetIds = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            int count = counts.get(i);
            String body = "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"" + prefix + "\",\"total\":" + count * Fixture.SHARE_MEAN
                    + ",\"count\":" + count + "}";
            String id = call("POST", "/v1/packets", tokens.get(sender(prefix, i % SENDERS)), body, 201).get("id").asText();
            packetIds.add(id);
            for (int u = 0; u < openersFor.applyAsInt(count); u++) {
                plan.add(new Fixture.PlannedOpen(Long.parseLong(id), prefix + "-" + u));
            }
        }
        Collections.shuffle(plan, new Random(rep));
        return new Storm(tokens, packetIds.size(), plan);
    }

    /** A packet lives in its sender's SET: the senders' ids hash to every SET, so the storm reaches all of them. */
    private static String sender(String prefix, int index) {
        return prefix + "-s" + index;
    }

    private Map<String, String> setUpUsers(String prefix, int users) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            ids.add(prefix + "-" + u);
        }
        for (int s = 0; s < SENDERS; s++) {
            ids.add(sender(prefix, s));
        }
        Map<String, String> tokens = new HashMap<>();
        for (String id : ids) {
            call("POST", "/v1/admin/users", adminKey, "{\"userId\":\"" + id + "\",\"name\":\"" + id + "\"}", 201);
            tokens.put(id, call("POST", "/v1/admin/users/" + id + "/tokens", adminKey, "", 201).get("token").asText());
        }
        call("POST", "/v1/admin/groups", adminKey, "{\"groupId\":\"" + prefix + "\",\"name\":\"bench\",\"members\":"
                + Json.write(ids) + "}", 201);
        return tokens;
    }

    /** Opens through the server's API: the whole service, HTTP included, as one design. */
    private final class OverHttp implements Design {
        private final Map<String, String> tokens;

        OverHttp(Map<String, String> tokens) {
            this.tokens = tokens;
        }

        @Override
        public String name() {
            return "engine+http";
        }

        @Override
        public Outcome open(long packetId, String userId) {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/packets/" + packetId + "/open"))
                    .header("Authorization", "Bearer " + tokens.get(userId))
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                return status == 200 ? Outcome.ACK : status == 409 ? Outcome.REFUSED : Outcome.FAILED;
            } catch (IOException e) {
                return Outcome.FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.FAILED;
            }
        }

        @Override
        public AuditReport audit() {
            try {
                return Json.MAPPER.treeToValue(call("GET", "/v1/admin/audit", adminKey, null, 200), AuditReport.class);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the server's audit", e);
            }
        }

        @Override
        public void close() {
            // The client outlives one run; nothing of this design's own to release.
        }
    }

    private JsonNode call(String method, String path, String bearer, String body, int expected) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
