package hongbao.http;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.merchant.MerchantClient;
import hongbao.testing.ApiClient;
import hongbao.testing.TestServer;
import hongbao.wxpay.SignType;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input on the merchant admin calls and the share call gets the documented status and code with API.md's error
 * body, and changes nothing: every case is wrapped in a snapshot of the audit, the merchant, its campaign, the
 * campaign's wins and a fission packet's group.
 */
class MerchantBadInputTest {
    private static final String MCH = MerchantApiTest.MCH;
    private static final String M = "/v1/admin/merchants/" + MCH;
    private static final String OVERFLOW = "99999999999999999999";

    private static TestServer server;
    private static ApiClient admin;
    private static ApiClient seed;
    private static ApiClient friend;
    private static String fissionPacket;
    private static String starts;
    private static String ends;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        admin = server.admin;
        MerchantClient merchant = server.merchant(MCH, MerchantApiTest.APP, MerchantApiTest.KEY, SignType.MD5);
        seed = server.user("seed");
        friend = server.user("friend");
        server.bindOpenid(MCH, "oSeed", "seed");
        server.deposit("mch." + MCH, 10_000, "mch-topup-1");
        fissionPacket = merchant.sendGroupRedpack(new MerchantClient.GroupRedpack("G1", "s", "oSeed", 300, 3, "w", "a", "r"))
                .get("send_listid");
        Instant now = server.clock.instant();
        starts = now.toString();
        ends = now.plusSeconds(3600).toString();
        admin.post(M + "/campaigns", campaign("\"budget\":1000")).expectStatus(201);
        admin.post(M + "/campaigns/spring/entries", "{\"openids\":[\"oSeed\"]}").expectStatus(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String campaign(String budget) {
        return "{\"campaignId\":\"spring\",\"name\":\"Spring\",\"wishing\":\"w\"," + budget
                + ",\"amountMin\":100,\"amountMax\":100,\"startsAt\":\"" + starts + "\",\"endsAt\":\"" + ends + "\"}";
    }

    private static String otherCampaign(String field, String value) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("campaignId", "\"other\"", "name", "\"N\"",
                "wishing", "\"w\"", "budget", "1000", "amountMin", "100", "amountMax", "100", "startsAt", "\"" + starts + "\"",
                "endsAt", "\"" + ends + "\""));
        if (value == null) {
            fields.remove(field);
        } else {
            fields.put(field, value);
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":").append(v));
        return json.append('}').toString();
    }

    private static Map<String, String> snapshot() {
        return Map.of(
                "audit", admin.get("/v1/admin/audit").expectStatus(200).body(),
                "merchant", admin.get(M).expectStatus(200).body(),
                "campaign", admin.get(M + "/campaigns/spring").expectStatus(200).body(),
                "wins", admin.get(M + "/campaigns/spring/wins").expectStatus(200).body(),
                "other", Integer.toString(admin.get(M + "/campaigns/other").status()),
                "fission", seed.get("/v1/packets/" + fissionPacket).expectStatus(200).body(),
                "friend sees fission", Integer.toString(friend.get("/v1/packets/" + fissionPacket).status()),
                "ghost", Integer.toString(admin.post("/v1/admin/users/ghost/tokens", "").status()));
    }

    static Stream<Arguments> badRequests() {
        String createMerchant = "{\"mchId\":\"1900000200\",\"name\":\"N\",\"apiKey\":\"" + "k".repeat(32)
                + "\",\"wxappid\":\"wxapp\"}";
        return Stream.of(
                bad("merchant without admin key", 401, "UNAUTHENTICATED",
                        () -> new ApiClient(server.baseUrl(), "nope").post("/v1/admin/merchants", createMerchant)),
                bad("merchant mchId with a dash", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("1900000200", "1900-0200"))),
                bad("merchant mchId of 21", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("1900000200", "1".repeat(21)))),
                bad("merchant key of 31", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("k".repeat(32), "k".repeat(31)))),
                bad("merchant key with a space", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("k".repeat(32), "k ".repeat(16)))),
                bad("merchant wxappid with a dot", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("wxapp", "wx.app"))),
                bad("merchant name of 65", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("\"N\"", "\"" + "n".repeat(65) + "\""))),
                bad("merchant without wxappid", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace(",\"wxappid\":\"wxapp\"", ""))),
                bad("merchant unknown field", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("}", ",\"balance\":5}"))),
                bad("merchant mchId 5", 400, "INVALID_REQUEST",
                        () -> admin.post("/v1/admin/merchants", createMerchant.replace("\"1900000200\"", "5"))),
                bad("merchant that exists with another key", 409, "ALREADY_EXISTS", () -> admin.post("/v1/admin/merchants",
                        "{\"mchId\":\"" + MCH + "\",\"name\":\"" + MCH + "\",\"apiKey\":\"" + "z".repeat(32)
                                + "\",\"wxappid\":\"" + MerchantApiTest.APP + "\"}")),
                bad("unknown merchant", 404, "NOT_FOUND", () -> admin.get("/v1/admin/merchants/1900000999")),
                bad("openid with a space", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/openids", "{\"openid\":\"o x\",\"userId\":\"friend\"}")),
                bad("openid of 65", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/openids", "{\"openid\":\"" + "o".repeat(65) + "\",\"userId\":\"friend\"}")),
                bad("openid without userId", 400, "INVALID_REQUEST", () -> admin.post(M + "/openids", "{\"openid\":\"oF\"}")),
                bad("openid of an unknown user", 404, "NOT_FOUND",
                        () -> admin.post(M + "/openids", "{\"openid\":\"oF\",\"userId\":\"ghost\"}")),
                bad("openid bound to another user", 409, "ALREADY_EXISTS",
                        () -> admin.post(M + "/openids", "{\"openid\":\"oSeed\",\"userId\":\"friend\"}")),
                bad("openid for an unknown merchant", 404, "NOT_FOUND",
                        () -> admin.post("/v1/admin/merchants/1900000999/openids", "{\"openid\":\"oF\",\"userId\":\"friend\"}")),
                bad("openid batch empty", 400, "LIMIT_EXCEEDED", () -> admin.post(M + "/openid-batches", "{\"bindings\":[]}")),
                bad("openid batch with null", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/openid-batches", "{\"bindings\":[null]}")),
                bad("openid batch repeating an openid", 400, "INVALID_REQUEST", () -> admin.post(M + "/openid-batches",
                        "{\"bindings\":[{\"openid\":\"oF\",\"userId\":\"friend\"},{\"openid\":\"oF\",\"userId\":\"seed\"}]}")),
                bad("openid batch with one conflict", 409, "ALREADY_EXISTS", () -> admin.post(M + "/openid-batches",
                        "{\"bindings\":[{\"openid\":\"oF\",\"userId\":\"friend\"},{\"openid\":\"oSeed2\",\"userId\":\"seed\"}]}")),
                bad("user batch empty", 400, "LIMIT_EXCEEDED", () -> admin.post("/v1/admin/user-batches", "{\"users\":[]}")),
                bad("user batch with a bad id", 400, "INVALID_REQUEST", () -> admin.post("/v1/admin/user-batches",
                        "{\"users\":[{\"userId\":\"ghost\",\"name\":\"G\"},{\"userId\":\"a b\",\"name\":\"G\"}]}")),
                bad("user batch renaming a user", 409, "ALREADY_EXISTS", () -> admin.post("/v1/admin/user-batches",
                        "{\"users\":[{\"userId\":\"ghost\",\"name\":\"G\"},{\"userId\":\"seed\",\"name\":\"Other\"}]}")),
                bad("user batch repeating a user", 400, "INVALID_REQUEST", () -> admin.post("/v1/admin/user-batches",
                        "{\"users\":[{\"userId\":\"ghost\",\"name\":\"G\"},{\"userId\":\"ghost\",\"name\":\"G\"}]}")),
                bad("campaign without budget", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("budget", null))),
                bad("campaign budget 10.5", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("budget", "10.5"))),
                bad("campaign budget \"1000\"", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("budget", "\"1000\""))),
                bad("campaign budget overflow", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("budget", OVERFLOW))),
                bad("campaign budget 0", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("budget", "0"))),
                bad("campaign budget -100", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("budget", "-100"))),
                bad("campaign amountMax below amountMin", 400, "LIMIT_EXCEEDED",
                        () -> admin.post(M + "/campaigns", otherCampaign("amountMax", "99"))),
                bad("campaign amount above the merchant range", 400, "LIMIT_EXCEEDED",
                        () -> admin.post(M + "/campaigns", otherCampaign("amountMax", "20001"))),
                bad("campaign winPermille 0", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("winPermille", "0"))),
                bad("campaign winPermille 1001", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/campaigns", otherCampaign("winPermille", "1001"))),
                bad("campaign startsAt a date", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/campaigns", otherCampaign("startsAt", "\"2027-01-01\""))),
                bad("campaign without endsAt", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("endsAt", null))),
                bad("campaign wishing of 129", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/campaigns", otherCampaign("wishing", "\"" + "福".repeat(129) + "\""))),
                bad("campaign id with a slash", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/campaigns", otherCampaign("campaignId", "\"a/b\""))),
                bad("campaign unknown field", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns", otherCampaign("prize", "1"))),
                bad("campaign of an unknown merchant", 404, "NOT_FOUND",
                        () -> admin.post("/v1/admin/merchants/1900000999/campaigns", otherCampaign("name", "\"N\""))),
                bad("campaign with other terms", 409, "ALREADY_EXISTS", () -> admin.post(M + "/campaigns", campaign("\"budget\":2000"))),
                bad("unknown campaign", 404, "NOT_FOUND", () -> admin.get(M + "/campaigns/other")),
                bad("entries empty", 400, "LIMIT_EXCEEDED", () -> admin.post(M + "/campaigns/spring/entries", "{\"openids\":[]}")),
                bad("entries without openids", 400, "INVALID_REQUEST", () -> admin.post(M + "/campaigns/spring/entries", "{}")),
                bad("entries of 1001", 400, "LIMIT_EXCEEDED", () -> admin.post(M + "/campaigns/spring/entries",
                        "{\"openids\":[" + String.join(",", java.util.Collections.nCopies(1001, "\"oSeed\"")) + "]}")),
                bad("entries of an unbound openid", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/campaigns/spring/entries", "{\"openids\":[\"oSeed\",\"oNobody\"]}")),
                bad("entries of a bad openid", 400, "INVALID_REQUEST",
                        () -> admin.post(M + "/campaigns/spring/entries", "{\"openids\":[\"o x\"]}")),
                bad("entries of an unknown campaign", 404, "NOT_FOUND",
                        () -> admin.post(M + "/campaigns/other/entries", "{\"openids\":[\"oSeed\"]}")),
                bad("wins limit 0", 400, "LIMIT_EXCEEDED", () -> admin.get(M + "/campaigns/spring/wins?limit=0")),
                bad("wins limit x", 400, "INVALID_REQUEST", () -> admin.get(M + "/campaigns/spring/wins?limit=x")),
                bad("wins after a bad id", 400, "INVALID_REQUEST", () -> admin.get(M + "/campaigns/spring/wins?after=a%20b")),
                bad("share by a stranger", 404, "NOT_FOUND",
                        () -> friend.post("/v1/packets/" + fissionPacket + "/share", "{\"userIds\":[\"friend\"]}")),
                bad("share without userIds", 400, "INVALID_REQUEST",
                        () -> seed.post("/v1/packets/" + fissionPacket + "/share", "{}")),
                bad("share with nobody", 400, "LIMIT_EXCEEDED",
                        () -> seed.post("/v1/packets/" + fissionPacket + "/share", "{\"userIds\":[]}")),
                bad("share with an unknown user", 400, "INVALID_REQUEST",
                        () -> seed.post("/v1/packets/" + fissionPacket + "/share", "{\"userIds\":[\"ghost\"]}")),
                bad("share userIds \"friend\"", 400, "INVALID_REQUEST",
                        () -> seed.post("/v1/packets/" + fissionPacket + "/share", "{\"userIds\":\"friend\"}")),
                bad("share of an unknown packet", 404, "NOT_FOUND",
                        () -> seed.post("/v1/packets/1/share", "{\"userIds\":[\"friend\"]}")));
    }

    private static Arguments bad(String name, int status, String code, Supplier<ApiClient.Response> request) {
        return Arguments.of(name, status, code, request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithItsCodeAndChangesNothing(String name, int status, String code, Supplier<ApiClient.Response> request) {
        Map<String, String> before = snapshot();

        ApiClient.Response response = request.get();

        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.body()).isEqualTo(code);
        assertThat(response.json().path("error").path("message").asText()).isNotBlank();
        assertThat(snapshot()).isEqualTo(before);
    }
}
