package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import hongbao.domain.ErrorCode;
import hongbao.domain.Payments;
import hongbao.merchant.MerchantClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import hongbao.wxpay.WxSignature;
import hongbao.wxpay.WxXml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.json against the running server: every route the server has is documented, every documented
 * operation is called here, and every answer (status, content type, body) is one the document allows for that
 * operation, the error answers included.
 */
class OpenApiContractTest {
    private static final Path DOCUMENT = Path.of(System.getProperty("basedir", "."), "docs", "openapi.json");
    private static final String DOCUMENT_IRI = "https://hongbao.invalid/openapi.json";
    private static final String MCH = "1900000109";
    private static final String MCH_KEY = "192006250b4c09247ec02edce69f6a2d";
    /** Codes this run cannot provoke on demand: admission control and a store that is down. */
    /**
     * Load, outages, and a cluster: WRONG_NODE, whose owners change between two nodes passing a request on;
     * OUTCOME_UNKNOWN, whose owner does not answer in time (ForwardingOutcomeTest); SET_DATABASE_BEHIND, a database
     * that went back in time (DatabaseBehindTest).
     */
    private static final Set<String> NOT_PROVOKED = Set.of(ErrorCode.BUSY.name(), ErrorCode.UNAVAILABLE.name(),
            ErrorCode.WRONG_NODE.name(), ErrorCode.OUTCOME_UNKNOWN.name(), ErrorCode.SET_DATABASE_BEHIND.name());

    private final JsonNode document = read(DOCUMENT);
    private final SchemaRegistry schemas = SchemaRegistry.withDialect(openApiDialect(),
            builder -> builder.schemas(Map.of(DOCUMENT_IRI, text(DOCUMENT))));

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedCallAnswersAsDocumented() throws Exception {
        try (TestServer server = TestServer.start(TestServer.config(TestServer.freshDir()).withDevLogin(true))) {
            Caller api = new Caller(server.baseUrl());
            Set<String> documented = documentedOperations();
            // GET / is the web UI's static files, registered as a service rather than a route.
            assertThat(documented).containsExactlyInAnyOrderElementsOf(
                    concat(server.app.routes(), List.of("GET /")));

            driveEveryCall(api, server);

            assertThat(api.called).containsExactlyInAnyOrderElementsOf(documented);
            assertThat(api.violations).isEmpty();
            Set<String> allCodes = Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet());
            assertThat(enumOf("/components/schemas/Error/properties/error/properties/code"))
                    .containsExactlyInAnyOrderElementsOf(allCodes);
            assertThat(api.errorCodes).containsAll(allCodes.stream().filter(code -> !NOT_PROVOKED.contains(code)).toList());
        }
    }

    @Test
    void theServedDocumentIsTheOneInDocs() {
        try (TestServer server = TestServer.start()) {
            Caller api = new Caller(server.baseUrl());
            Reply reply = api.call(null, "GET", "/openapi.json", Map.of(), null, Map.of());

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).startsWith("application/json");
            assertThat(read(reply.body())).isEqualTo(document);
            assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        }
    }

    private void driveEveryCall(Caller api, TestServer server) throws Exception {
        String admin = TestServer.ADMIN_KEY;
        for (String user : List.of("alice", "bob", "carol", "dave", "seed", "friend")) {
            api.expect(201, admin, "POST", "/v1/admin/users", Map.of(), "{\"userId\":\"" + user + "\",\"name\":\"" + user + "\"}");
        }
        api.expect(200, admin, "POST", "/v1/admin/users", Map.of(), "{\"userId\":\"alice\",\"name\":\"alice\"}");
        api.expectError("ALREADY_EXISTS", admin, "POST", "/v1/admin/users", Map.of(), "{\"userId\":\"alice\",\"name\":\"Al\"}");
        api.expectError("UNAUTHENTICATED", null, "POST", "/v1/admin/users", Map.of(), "{\"userId\":\"eve\",\"name\":\"eve\"}");
        api.expectError("INVALID_REQUEST", admin, "POST", "/v1/admin/users", Map.of(), "{\"userId\":\"eve\",\"nom\":\"eve\"}");
        api.expect(200, admin, "POST", "/v1/admin/user-batches", Map.of(), "{\"users\":[{\"userId\":\"erin\",\"name\":\"erin\"}]}");
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String user : List.of("alice", "bob", "carol", "dave", "seed", "friend")) {
            tokens.put(user, api.expect(201, admin, "POST", "/v1/admin/users/{userId}/tokens", Map.of("userId", user),
                    "{\"ttlSeconds\":2592000}").json().get("token").asText());
        }
        api.expectError("LIMIT_EXCEEDED", admin, "POST", "/v1/admin/users/{userId}/tokens", Map.of("userId", "alice"),
                "{\"ttlSeconds\":0}");
        api.expectError("NOT_FOUND", admin, "POST", "/v1/admin/users/{userId}/tokens", Map.of("userId", "nobody"), null);
        api.expect(201, admin, "POST", "/v1/admin/users/{userId}/deposits", Map.of("userId", "alice"),
                "{\"amount\":100000,\"reference\":\"bank-1\"}");
        api.expect(201, admin, "POST", "/v1/admin/groups", Map.of(),
                "{\"groupId\":\"g1\",\"name\":\"Family\",\"members\":[\"alice\",\"bob\",\"carol\"]}");
        api.expect(200, admin, "POST", "/v1/admin/groups/{groupId}/members", Map.of("groupId", "g1"),
                "{\"userIds\":[\"dave\",\"erin\"]}");
        api.expect(200, admin, "DELETE", "/v1/admin/groups/{groupId}/members/{userId}",
                Map.of("groupId", "g1", "userId", "erin"), null);
        api.expectError("NOT_FOUND", admin, "DELETE", "/v1/admin/groups/{groupId}/members/{userId}",
                Map.of("groupId", "g1", "userId", "erin"), null);
        api.expect(201, admin, "POST", "/v1/admin/users/{userId}/withdrawals", Map.of("userId", "alice"),
                "{\"amount\":100,\"reference\":\"payout-1\"}");
        api.expectError("INSUFFICIENT_BALANCE", admin, "POST", "/v1/admin/users/{userId}/withdrawals",
                Map.of("userId", "alice"), "{\"amount\":100000,\"reference\":\"payout-2\"}");
        api.expect(200, admin, "GET", "/v1/admin/audit", Map.of(), null);
        api.expect(200, admin, "GET", "/v1/admin/summary", Map.of(), null);
        api.expect(200, admin, "GET", "/v1/admin/payments/refunds-due", Map.of(), null);
        api.expect(200, null, "GET", "/v1/config", Map.of(), null);
        api.expect(200, null, "GET", "/v1/dev/users", Map.of(), null);
        api.expect(201, null, "POST", "/v1/dev/login", Map.of(), "{\"userId\":\"alice\"}");

        String alice = tokens.get("alice");
        api.expect(200, alice, "GET", "/v1/groups", Map.of(), null);
        api.expect(200, alice, "GET", "/v1/wallet", Map.of(), null);
        api.expectError("UNAUTHENTICATED", "not-a-token", "GET", "/v1/wallet", Map.of(), null);
        String lucky = "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"g1\",\"total\":300,\"count\":2,\"greeting\":\"恭喜发财\"}";
        String packet = api.expect(201, alice, "POST", "/v1/packets", Map.of(), lucky, Map.of("Idempotency-Key", "k1"))
                .json().get("id").asText();
        api.expectError("IDEMPOTENCY_CONFLICT", alice, "POST", "/v1/packets", Map.of(), lucky.replace("300", "400"),
                Map.of("Idempotency-Key", "k1"));
        api.expectError("INSUFFICIENT_BALANCE", tokens.get("carol"), "POST", "/v1/packets", Map.of(),
                "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"g1\",\"total\":300,\"count\":2}");
        api.expectError("LIMIT_EXCEEDED", alice, "POST", "/v1/packets", Map.of(),
                "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"g1\",\"total\":500,\"count\":5}");
        api.expectError("LIMIT_EXCEEDED", alice, "POST", "/v1/packets", Map.of(),
                "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"g1\",\"total\":300,\"count\":101}");
        api.expectError("FORBIDDEN", alice, "POST", "/v1/packets/{id}/share", Map.of("id", packet), "{\"userIds\":[\"erin\"]}");
        api.expect(200, tokens.get("bob"), "POST", "/v1/packets/{id}/grab", Map.of("id", packet), null);
        api.expect(200, tokens.get("bob"), "POST", "/v1/packets/{id}/open", Map.of("id", packet), null);
        api.expectError("ALREADY_CLAIMED", tokens.get("bob"), "POST", "/v1/packets/{id}/open", Map.of("id", packet), null);
        api.expect(200, tokens.get("carol"), "POST", "/v1/packets/{id}/open?view=full", Map.of("id", packet), null);
        api.expectError("SNATCHED_OUT", tokens.get("dave"), "POST", "/v1/packets/{id}/open", Map.of("id", packet), null);
        api.expect(200, alice, "GET", "/v1/packets/{id}", Map.of("id", packet), null);
        api.expectError("NOT_FOUND", tokens.get("seed"), "GET", "/v1/packets/{id}", Map.of("id", packet), null);
        api.expect(200, alice, "GET", "/v1/groups/{groupId}/packets", Map.of("groupId", "g1"), null);
        api.expect(200, alice, "GET", "/v1/wallet/transactions", Map.of(), null);

        String unpaid = api.expect(201, alice, "POST", "/v1/packets", Map.of(),
                "{\"kind\":\"GROUP_EQUAL\",\"groupId\":\"g1\",\"total\":200,\"count\":2,\"payMethod\":\"THIRD_PARTY\"}")
                .json().get("id").asText();
        api.expectError("NOT_PAYABLE", tokens.get("bob"), "POST", "/v1/packets/{id}/open", Map.of("id", unpaid), null);
        api.expect(200, alice, "POST", "/v1/packets/{id}/payment/client-confirm", Map.of("id", unpaid), null);
        api.expectXml(200, "POST", "/v1/payments/notify", Map.of(), notification(unpaid, 200, TestServer.PROVIDER_KEY));
        api.expectXml(401, "POST", "/v1/payments/notify", Map.of(), notification(unpaid, 200, "another key"));

        merchantCalls(api, server, admin, tokens);
        api.expect(200, alice, "GET", "/v1/inbox", Map.of(), null);
        String next = api.expect(200, alice, "GET", "/v1/events?limit=2", Map.of(), null).json().get("next").asText();
        api.expect(200, alice, "GET", "/v1/events?after=" + next, Map.of(), null);
        api.expectError("INVALID_REQUEST", alice, "GET", "/v1/events?after=somewhere", Map.of(), null);
        // A stream that opens never ends: its refusals are what a whole answer can show.
        api.expectError("INVALID_REQUEST", alice, "GET", "/v1/events/stream", Map.of(), null, Map.of("Last-Event-ID", "x"));
        api.expectError("UNAUTHENTICATED", null, "GET", "/v1/events/stream", Map.of(), null);
        api.expect(200, admin, "GET", "/v1/admin/webhooks", Map.of(), null);
        api.expectError("NOT_FOUND", admin, "POST", "/v1/admin/webhooks/replay", Map.of(),
                "{\"url\":\"http://127.0.0.1:1/hooks\",\"fromEventId\":\"evt_0_1\"}");
        api.expect(200, alice, "GET", "/v1/chats/{userId}/packets", Map.of("userId", "bob"), null);
        api.expectError("NOT_FOUND", alice, "GET", "/v1/chats/{userId}/packets", Map.of("userId", "nobody"), null);
        api.expect(200, tokens.get("bob"), "GET", "/v1/packets?role=received&limit=1", Map.of(), null);
        String received = api.expect(200, tokens.get("bob"), "GET", "/v1/packets?role=received&limit=1", Map.of(), null)
                .json().get("next").asText();
        api.expect(200, tokens.get("bob"), "GET", "/v1/packets?role=received&limit=1&before=" + received, Map.of(), null);
        api.expect(200, alice, "GET", "/v1/packets?role=sent", Map.of(), null);
        api.expectError("INVALID_REQUEST", alice, "GET", "/v1/packets?role=everything", Map.of(), null);

        api.expect(200, null, "GET", "/health", Map.of(), null);
        api.expect(200, null, "GET", "/ready", Map.of(), null);
        api.expect(200, null, "GET", "/metrics", Map.of(), null);
        api.expect(200, null, "GET", "/openapi.json", Map.of(), null);
        api.expect(200, null, "GET", "/", Map.of(), null);

        String expiring = api.expect(201, alice, "POST", "/v1/packets", Map.of(),
                "{\"kind\":\"PERSONAL\",\"toUserId\":\"bob\",\"total\":100,\"count\":1}").json().get("id").asText();
        server.clock.advance(Duration.ofDays(2));
        api.expectError("EXPIRED", tokens.get("bob"), "POST", "/v1/packets/{id}/open", Map.of("id", expiring), null);
        server.clock.advance(Duration.ofDays(7));
        server.app.trimEvents();
        api.expectError("EVENTS_TRIMMED", alice, "GET", "/v1/events?after=" + next, Map.of(), null);
    }

    private void merchantCalls(Caller api, TestServer server, String admin, Map<String, String> tokens) throws IOException {
        String merchantBody = "{\"mchId\":\"" + MCH + "\",\"name\":\"Shop\",\"apiKey\":\"" + MCH_KEY + "\",\"wxappid\":\"wxapp\"}";
        api.expect(201, admin, "POST", "/v1/admin/merchants", Map.of(), merchantBody);
        api.expect(200, admin, "POST", "/v1/admin/merchants", Map.of(), merchantBody);
        api.expect(201, admin, "POST", "/v1/admin/merchants/{mchId}/openids", Map.of("mchId", MCH),
                "{\"openid\":\"oSeed\",\"userId\":\"seed\"}");
        api.expect(200, admin, "POST", "/v1/admin/merchants/{mchId}/openid-batches", Map.of("mchId", MCH),
                "{\"bindings\":[{\"openid\":\"oAlice\",\"userId\":\"alice\"},{\"openid\":\"oBob\",\"userId\":\"bob\"}]}");
        api.expect(201, admin, "POST", "/v1/admin/users/{userId}/deposits", Map.of("userId", "mch." + MCH),
                "{\"amount\":100000,\"reference\":\"mch-1\"}");
        api.expect(200, admin, "GET", "/v1/admin/merchants/{mchId}", Map.of("mchId", MCH), null);
        Map<String, String> campaign = Map.of("mchId", MCH, "campaignId", "c1");
        api.expect(201, admin, "POST", "/v1/admin/merchants/{mchId}/campaigns", Map.of("mchId", MCH),
                "{\"campaignId\":\"c1\",\"name\":\"New year\",\"wishing\":\"恭喜发财\",\"budget\":1000,\"amountMin\":100,"
                        + "\"amountMax\":200,\"startsAt\":\"2020-01-01T00:00:00Z\",\"endsAt\":\"2099-01-01T00:00:00Z\"}");
        api.expect(200, admin, "GET", "/v1/admin/merchants/{mchId}/campaigns/{campaignId}", campaign, null);
        api.expect(200, admin, "POST", "/v1/admin/merchants/{mchId}/campaigns/{campaignId}/entries", campaign,
                "{\"openids\":[\"oAlice\",\"oBob\"]}");
        api.expect(200, admin, "GET", "/v1/admin/merchants/{mchId}/campaigns/{campaignId}/wins", campaign, null);

        MerchantClient merchant = new MerchantClient(URI.create(server.baseUrl()), MCH, "wxapp", MCH_KEY, SignType.MD5);
        api.expectXml(200, "POST", MerchantClient.SEND_REDPACK, Map.of(), merchant.body(merchant.params(
                new MerchantClient.Redpack("B1", "Shop", "oAlice", 100, "恭喜发财", "127.0.0.1", "New year", "-"))));
        Reply fission = api.expectXml(200, "POST", MerchantClient.SEND_GROUP_REDPACK, Map.of(), merchant.body(
                merchant.params(new MerchantClient.GroupRedpack("G1", "Shop", "oSeed", 900, 3, "分享", "裂变", "-"))));
        api.expectXml(200, "POST", MerchantClient.GET_HB_INFO, Map.of(), merchant.body(merchant.hbInfoParams("B1")));
        String fissionPacket = merchant.read(MerchantClient.SEND_GROUP_REDPACK, fission.status(), fission.body())
                .get("send_listid");
        api.expect(200, tokens.get("seed"), "POST", "/v1/packets/{id}/open", Map.of("id", fissionPacket), null);
        api.expect(200, tokens.get("seed"), "POST", "/v1/packets/{id}/share", Map.of("id", fissionPacket),
                "{\"userIds\":[\"friend\"]}");
    }

    private static String notification(String packetId, long amount, String key) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("return_code", "SUCCESS");
        fields.put("result_code", "SUCCESS");
        fields.put("out_trade_no", Payments.paymentId(Long.parseLong(packetId)));
        fields.put("total_fee", Long.toString(amount));
        fields.put("transaction_id", "4200000001");
        fields.put("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
        return WxXml.write(WxSignature.signed(fields, key, SignType.MD5));
    }

    /**
     * OpenAPI 3.1's dialect, told that the document's own fields (openapi, info, paths, ...) are no schema keywords:
     * the schemas are read out of the whole document, and the validator would warn about each of them.
     */
    private Dialect openApiDialect() {
        List<NonValidationKeyword> documentFields = new ArrayList<>();
        document.fieldNames().forEachRemaining(field -> documentFields.add(new NonValidationKeyword(field)));
        return Dialect.builder(Dialects.getOpenApi31()).keywords(documentFields).build();
    }

    /** Every operation of the document as "METHOD /path". */
    private Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties()
                .forEach(method -> operations.add(method.getKey().toUpperCase() + " " + path.getKey())));
        return operations;
    }

    private Set<String> enumOf(String pointer) {
        Set<String> values = new TreeSet<>();
        document.at(pointer + "/enum").forEach(value -> values.add(value.asText()));
        return values;
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            return read(body);
        }
    }

    /** Calls the server, records which documented operation it called and whether the answer fits the document. */
    private final class Caller {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final String baseUrl;
        final Set<String> called = new TreeSet<>();
        final Set<String> errorCodes = new TreeSet<>();
        final List<String> violations = new ArrayList<>();

        Caller(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        Reply expect(int status, String bearer, String method, String template, Map<String, String> params, String body) {
            return expect(status, bearer, method, template, params, body, Map.of());
        }

        Reply expect(int status, String bearer, String method, String template, Map<String, String> params, String body,
                Map<String, String> headers) {
            Reply reply = call(bearer, method, template, params, body, headers);
            assertThat(reply.status()).as(method + " " + template + ": " + reply.body()).isEqualTo(status);
            return reply;
        }

        void expectError(String code, String bearer, String method, String template, Map<String, String> params, String body) {
            expectError(code, bearer, method, template, params, body, Map.of());
        }

        void expectError(String code, String bearer, String method, String template, Map<String, String> params, String body,
                Map<String, String> headers) {
            Reply reply = call(bearer, method, template, params, body, headers);
            assertThat(reply.json().path("error").path("code").asText()).as(method + " " + template + ": " + reply.body())
                    .isEqualTo(code);
            assertThat(reply.status()).isEqualTo(Answer.statusOf(ErrorCode.valueOf(code)));
        }

        Reply expectXml(int status, String method, String template, Map<String, String> params, String xml) {
            Reply reply = call(null, method, template, params, xml, Map.of("Content-Type", "application/xml"));
            assertThat(reply.status()).as(method + " " + template + ": " + reply.body()).isEqualTo(status);
            return reply;
        }

        Reply call(String bearer, String method, String template, Map<String, String> params, String body,
                Map<String, String> headers) {
            String path = template;
            for (Map.Entry<String, String> param : params.entrySet()) {
                path = path.replace("{" + param.getKey() + "}", param.getValue());
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            if (body != null && !headers.containsKey("Content-Type")) {
                request.header("Content-Type", "application/json");
            }
            headers.forEach(request::header);
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                Reply reply = new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                        response.body());
                // The operation is the path template; a query string is one of its parameters.
                check(method + " " + template.replaceFirst("\\?.*", ""), reply);
                return reply;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private void check(String operation, Reply reply) {
            called.add(operation);
            String method = operation.substring(0, operation.indexOf(' ')).toLowerCase();
            String template = operation.substring(operation.indexOf(' ') + 1);
            String operationPointer = "/paths/" + escape(template) + "/" + method;
            if (document.at(operationPointer).isMissingNode()) {
                violations.add(operation + " is not documented");
                return;
            }
            String responsePointer = operationPointer + "/responses/" + reply.status();
            if (document.at(responsePointer).isMissingNode()) {
                responsePointer = operationPointer + "/responses/default";
            }
            JsonNode response = document.at(responsePointer);
            if (response.isMissingNode() || (reply.status() < 400 && responsePointer.endsWith("/default"))) {
                violations.add(operation + " answered " + reply.status() + ", which is not documented: " + reply.body());
                return;
            }
            if (response.has("$ref")) {
                responsePointer = response.get("$ref").asText().substring(1);
                response = document.at(responsePointer);
            }
            String mediaType = reply.contentType().split(";")[0].trim();
            if (!response.path("content").has(mediaType)) {
                violations.add(operation + " " + reply.status() + " answered " + mediaType + ", documented "
                        + response.path("content"));
                return;
            }
            if (!mediaType.equals("application/json")) {
                return;
            }
            JsonNode body = reply.json();
            if (body.has("error")) {
                errorCodes.add(body.path("error").path("code").asText());
            }
            Schema schema = schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#" + responsePointer
                    + "/content/application~1json/schema"));
            List<Error> errors = schema.validate(body);
            if (!errors.isEmpty()) {
                violations.add(operation + " " + reply.status() + " " + errors + " in " + reply.body());
            }
        }
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        return read(text(file));
    }

    private static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
