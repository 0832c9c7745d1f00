package hongbao.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain HTTP client for tests against a server process that may die: transport failures surface as
 * IOException (an outcome the caller counts), not as assertion errors.
 */
public final class RawApi {
    public final String baseUrl;
    final String bearer;
    final HttpClient http;

    public RawApi(String baseUrl, String bearer) {
        this(baseUrl, bearer, newClient());
    }

    private RawApi(String baseUrl, String bearer, HttpClient http) {
        this.baseUrl = baseUrl;
        this.bearer = bearer;
        this.http = http;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public RawApi as(String token) {
        return new RawApi(baseUrl, token, http);
    }

    public RawApi freshClient() {
        return new RawApi(baseUrl, bearer, newClient());
    }

    public HttpResponse<String> call(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The status and body of a call to a process that may stop while answering it, or how the call failed. */
    public String outcome(String method, String path, String body) throws InterruptedException {
        try {
            HttpResponse<String> answer = call(method, path, body);
            return answer.statusCode() + " " + answer.body();
        } catch (IOException dropped) {
            return "no answer: " + dropped;
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The answer's JSON body, or an AssertionError naming the call when the status is not the expected one. */
    public static com.fasterxml.jackson.databind.JsonNode expect(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + ": expected "
                    + status + " but got " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** As the admin: creates the users with day-long tokens and one group of them all; returns the tokens by user. */
    public java.util.Map<String, String> usersInGroup(String groupId, java.util.List<String> users) throws Exception {
        java.util.Map<String, String> tokens = new java.util.LinkedHashMap<>();
        for (String user : users) {
            expect(call("POST", "/v1/admin/users", JSON.writeValueAsString(java.util.Map.of("userId", user, "name", user))), 201);
            tokens.put(user, expect(call("POST", "/v1/admin/users/" + user + "/tokens", "{\"ttlSeconds\":86400}"), 201)
                    .get("token").asText());
        }
        expect(call("POST", "/v1/admin/groups",
                JSON.writeValueAsString(java.util.Map.of("groupId", groupId, "name", groupId, "members", users))), 201);
        return tokens;
    }

    /**
     * As a user of the group with money: sends {@code packets} lucky packets of {@code count} shares of {@code total}
     * fen each to the group; returns their ids.
     */
    public java.util.List<String> sendLuckyPackets(String groupId, int packets, long total, int count) throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (int p = 0; p < packets; p++) {
            ids.add(expect(call("POST", "/v1/packets", JSON.writeValueAsString(java.util.Map.of("kind", "GROUP_LUCKY",
                    "groupId", groupId, "total", total, "count", count))), 201).get("id").asText());
        }
        return ids;
    }
}
