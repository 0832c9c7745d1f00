package hongbao.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storm over real HTTP: sets up users, a group and packets on a running server through its API, then opens
 * from many concurrent clients on loopback, so that the HTTP layer's cost shows beside the in-process figures.
 */
final class HttpLoad {
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
        String prefix = "h" + Long.toString(System.currentTimeMillis(), 36) + "r" + rep;
        int users = scenario.maxOpenersPerPacket();
        Map<String, String> tokens = setUpUsers(prefix, users);
        String sender = prefix + "-s";
        List<Fixture.PlannedOpen> plan = new ArrayList<>();
        long total = 0;
        List<String> packetIds = new ArrayList<>();
        for (int count : scenario.shareCounts()) {
            total += count * Fixture.SHARE_MEAN;
        }
        call("POST", "/v1/admin/users/" + sender + "/deposits", adminKey,
                "{\"amount\":" + total + ",\"reference\":\"" + prefix + "-funding\"}", 201);
        for (int count : scenario.shareCounts()) {
            String body = "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"" + prefix + "\",\"total\":" + count * Fixture.SHARE_MEAN
                    + ",\"count\":" + count + "}";
            String id = call("POST", "/v1/packets", tokens.get(sender), body, 201).get("id").asText();
            packetIds.add(id);
            for (int u = 0; u < scenario.openersFor(count); u++) {
                plan.add(new Fixture.PlannedOpen(Long.parseLong(id), prefix + "-" + u));
            }
        }
        Collections.shuffle(plan, new Random(rep));
        progress.printf("  http   set up %d users and %d packets; storming %,d opens from %d clients%n", users,
                packetIds.size(), plan.size(), scenario.concurrency());
        OpenRunner.Counts counts = storm(plan, tokens, scenario.concurrency(), limit);
        boolean balanced = call("GET", "/v1/admin/audit", adminKey, null, 200).get("balanced").asBoolean();
        return new RunResult("engine+http", rep, counts.acks(), counts.refused(), counts.failed(), 0, counts.seconds(),
                counts.acks() / counts.seconds(), counts.latencies().percentileMicros(0.5),
                counts.latencies().percentileMicros(0.99), counts.latencies().percentileMicros(0.999), balanced);
    }

    private Map<String, String> setUpUsers(String prefix, int users) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            ids.add(prefix + "-" + u);
        }
        ids.add(prefix + "-s");
        Map<String, String> tokens = new HashMap<>();
        for (String id : ids) {
            call("POST", "/v1/admin/users", adminKey, "{\"userId\":\"" + id + "\",\"name\":\"" + id + "\"}", 201);
            tokens.put(id, call("POST", "/v1/admin/users/" + id + "/tokens", adminKey, "", 201).get("token").asText());
        }
        call("POST", "/v1/admin/groups", adminKey, "{\"groupId\":\"" + prefix + "\",\"name\":\"bench\",\"members\":"
                + Json.write(ids) + "}", 201);
        return tokens;
    }

    private OpenRunner.Counts storm(List<Fixture.PlannedOpen> plan, Map<String, String> tokens, int clients, Duration limit)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong acks = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Latencies latencies = new Latencies();
        CountDownLatch go = new CountDownLatch(1);
        long started;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            long deadline = System.nanoTime() + limit.toNanos();
            for (int c = 0; c < clients; c++) {
                tasks.add(pool.submit(() -> {
                    go.await();
                    int index;
                    while ((index = next.getAndIncrement()) < plan.size() && System.nanoTime() < deadline) {
                        Fixture.PlannedOpen open = plan.get(index);
                        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/packets/" + open.packetId() + "/open"))
                                .header("Authorization", "Bearer " + tokens.get(open.userId()))
                                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
                        long t0 = System.nanoTime();
                        try {
                            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status == 200) {
                                latencies.add(System.nanoTime() - t0);
                                acks.incrementAndGet();
                            } else if (status == 409) {
                                refused.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            started = System.nanoTime();
            go.countDown();
            for (Future<?> task : tasks) {
                task.get();
            }
        }
        return new OpenRunner.Counts(acks.get(), refused.get(), failed.get(), (System.nanoTime() - started) / 1e9, latencies);
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
