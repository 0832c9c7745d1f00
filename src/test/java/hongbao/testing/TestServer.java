package hongbao.testing;

import hongbao.wiring.HongbaoApp;
import hongbao.wiring.ServeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real server on a free port over a fresh SQLite file, with a clock the test controls. */
public final class TestServer implements AutoCloseable {
    public static final String ADMIN_KEY = "test-admin-key";
    public static final String PROVIDER_KEY = "test-provider-key";

    public final MutableClock clock = MutableClock.atNow();
    public final Path dataDir;
    public final HongbaoApp app;
    public final ApiClient admin;
    private final ServeConfig config;

    private TestServer(ServeConfig config) {
        this.config = config;
        this.dataDir = config.dataDir();
        this.app = HongbaoApp.start(config, clock, ADMIN_KEY, "test-token-secret");
        this.admin = new ApiClient("http://127.0.0.1:" + app.port(), ADMIN_KEY);
    }

    public static TestServer start() {
        return start(config(freshDir()));
    }

    public static TestServer start(ServeConfig config) {
        return new TestServer(config);
    }

    /**
     * A fresh store of the kind the suite runs on (see {@link TestStores}). The campaign dispatcher waits an hour
     * between runs: tests pay wins when they say so ({@code app.dispatchCampaignWins()}).
     */
    public static ServeConfig config(Path dataDir) {
        return ServeConfig.defaults(dataDir).withPort(0).withAdminKey(ADMIN_KEY).withStore(TestStores.freshStoreSpec())
                .withPayments(new ServeConfig.PaymentConfig(PROVIDER_KEY, hongbao.wxpay.SignType.MD5,
                        ServeConfig.PaymentConfig.DEFAULT.timeout(),
                        ServeConfig.PaymentConfig.DEFAULT.secondPassDelay()))
                .withMerchants(new ServeConfig.MerchantConfig(hongbao.domain.MerchantLimits.DEFAULT,
                        java.time.Duration.ofHours(1), ServeConfig.MerchantConfig.DEFAULT.dispatchBatch()));
    }

    /** The configuration of this server's data, for a restart on it. */
    public ServeConfig sameData() {
        return config;
    }

    public static Path freshDir() {
        try {
            return Files.createTempDirectory("hongbao-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    /** A client authenticated as this user (created with the given id as name if new). */
    public ApiClient user(String userId) {
        admin.post("/v1/admin/users", "{\"userId\":\"" + userId + "\",\"name\":\"" + userId + "\"}").expectOk();
        // Tokens outlive the clock jumps of expiry tests.
        String token = admin.post("/v1/admin/users/" + userId + "/tokens", "{\"ttlSeconds\":2592000}").expectStatus(201).json().get("token").asText();
        return new ApiClient(baseUrl(), token);
    }

    public void deposit(String userId, long amount, String reference) {
        admin.post("/v1/admin/users/" + userId + "/deposits",
                "{\"amount\":" + amount + ",\"reference\":\"" + reference + "\"}").expectStatus(201);
    }

    public void group(String groupId, java.util.Collection<String> members) {
        String list = String.join("\",\"", members);
        admin.post("/v1/admin/groups", "{\"groupId\":\"" + groupId + "\",\"name\":\"" + groupId + "\",\"members\":[\"" + list + "\"]}")
                .expectStatus(201);
    }

    /** Users s (the sender, with 10,000 fen), r and x in group g, and s's lucky packet of 900 fen in 3 shares: its id. */
    public String luckyPacketOfThree() {
        ApiClient sender = user("s");
        user("r");
        user("x");
        deposit("s", 10_000, "dep-s");
        group("g", java.util.List.of("s", "r", "x"));
        return sender.post("/v1/packets", "{\"kind\":\"GROUP_LUCKY\",\"groupId\":\"g\",\"total\":900,\"count\":3}")
                .expectStatus(201).json().get("id").asText();
    }

    /** The payment provider, signing with this server's provider key. */
    public hongbao.paysim.ProviderSimulator provider() {
        return new hongbao.paysim.ProviderSimulator(java.net.URI.create(baseUrl() + "/v1/payments/notify"), PROVIDER_KEY);
    }

    /**
     * Creates a merchant (its wallet user is {@code mch.<mchId>}) and returns its client, signing the given way.
     */
    public hongbao.merchant.MerchantClient merchant(String mchId, String wxappid, String apiKey, hongbao.wxpay.SignType signType) {
        admin.post("/v1/admin/merchants", "{\"mchId\":\"" + mchId + "\",\"name\":\"" + mchId + "\",\"apiKey\":\"" + apiKey
                + "\",\"wxappid\":\"" + wxappid + "\"}").expectOk();
        return new hongbao.merchant.MerchantClient(java.net.URI.create(baseUrl()), mchId, wxappid, apiKey, signType);
    }

    /** Binds an openid of the merchant's app to a user. */
    public void bindOpenid(String mchId, String openid, String userId) {
        admin.post("/v1/admin/merchants/" + mchId + "/openids", "{\"openid\":\"" + openid + "\",\"userId\":\"" + userId
                + "\"}").expectOk();
    }

    /** The balance of the merchant's wallet. */
    public long merchantBalance(String mchId) {
        return admin.get("/v1/admin/merchants/" + mchId).expectStatus(200).json().get("balance").asLong();
    }

    /** Runs the reconciler's due passes, then the cross-SET credits they queued: all claims that can be, credited. */
    public void reconcile() {
        app.runDueReconciliations();
        app.deliverPendingCredits();
    }

    /** Applies the cross-SET credits still in outboxes, so that wallets can be checked right after opens. */
    public void settleCredits() {
        app.deliverPendingCredits();
    }

    /** Whether this user's open of the packet is credited at once, or (wallet in another SET) through the outbox. */
    public boolean creditedAtOnce(String packetId, String userId) {
        return app.layout().sameSet(Long.parseLong(packetId), userId);
    }

    /** Ledger transfers one claim records: one, or one in each SET when the wallet is in another SET. */
    public int transfersPerClaim(String packetId, String userId) {
        return creditedAtOnce(packetId, userId) ? 1 : 2;
    }

    @Override
    public void close() {
        app.close();
    }
}
