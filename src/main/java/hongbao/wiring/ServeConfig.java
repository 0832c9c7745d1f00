package hongbao.wiring;

import hongbao.domain.Limits;
import hongbao.domain.MerchantLimits;
import hongbao.engine.EngineConfig;
import hongbao.wxpay.SignType;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code serve} can be told. {@code adminKey} null means: read or generate it in the data directory;
 * {@code store} null means the embedded SQLite file in the data directory, else PostgreSQL URLs (one per SET).
 * {@code devLogin} lets the web UI log in as any user without a token (for trying the service out; see
 * DevLoginEndpoints). {@code ownership} says which SETs this node owns in a cluster (every SET by default).
 */
public record ServeConfig(String host, int port, Path dataDir, String store, int retentionDays, String adminKey,
        EngineConfig engine, Duration packetTtl, Duration expiryInterval, int maxBodyBytes, Limits limits,
        PaymentConfig payments, MerchantConfig merchants, boolean devLogin, hongbao.cluster.Ownership ownership) {

    /**
     * Third-party payments.
     *
     * @param providerKey     the key the provider signs its notifications with; null = read or generate it in the
     *                        data directory ({@code payment.key})
     * @param providerSignType how the provider signs: WeChat Pay's notifications do not say (they carry no sign_type),
     *                        its merchants configure it beside the key
     * @param timeout         how long a packet waits for its money before it is cancelled
     * @param secondPassDelay when the reconciler's second pass over a paid packet's claims runs
     */
    public record PaymentConfig(String providerKey, SignType providerSignType, Duration timeout, Duration secondPassDelay) {
        public static final PaymentConfig DEFAULT = new PaymentConfig(null, SignType.MD5, Duration.ofMinutes(15),
                Duration.ofSeconds(5));

        /**
         * 15 minutes, or half the packet lifetime when that is shorter: a packet must be cancellable for want of money
         * before it would expire, and a short lifetime set for a demo should not have to bring its own timeout.
         */
        public static Duration defaultTimeout(Duration packetTtl) {
            Duration half = packetTtl.dividedBy(2);
            return half.compareTo(DEFAULT.timeout()) < 0 ? half : DEFAULT.timeout();
        }
    }

    /**
     * The merchant API and its campaigns.
     *
     * @param limits           packet amounts, packets per user and day, sends per merchant and minute
     * @param dispatchInterval how often the campaign dispatcher looks for wins to pay
     * @param dispatchBatch    most wins paid in one batch (their packets commit together)
     */
    public record MerchantConfig(MerchantLimits limits, Duration dispatchInterval, int dispatchBatch) {
        public static final MerchantConfig DEFAULT = new MerchantConfig(MerchantLimits.DEFAULT, Duration.ofSeconds(1), 200);

        public MerchantConfig {
            if (dispatchInterval.isNegative() || dispatchInterval.isZero() || dispatchBatch < 1) {
                throw new IllegalArgumentException("the campaign dispatcher needs a positive interval and batch");
            }
        }
    }

    public ServeConfig {
        if (payments.timeout().compareTo(packetTtl) >= 0) {
            throw new IllegalArgumentException("the payment timeout must be shorter than the packet lifetime");
        }
        // Fails at start, not at the first merchant send, when the merchant range does not fit the packet limits.
        merchants.limits().packetLimits(limits);
    }

    public static ServeConfig defaults(Path dataDir) {
        return new ServeConfig("0.0.0.0", 8080, dataDir, null, hongbao.store.postgres.PostgresDayPartitions.DEFAULT_RETENTION_DAYS, null, new EngineConfig(64, 1, 10_000, 1_000),
                Duration.ofHours(24), Duration.ofSeconds(1), 16 * 1024, Limits.DEFAULT, PaymentConfig.DEFAULT,
                MerchantConfig.DEFAULT, true, hongbao.cluster.Ownership.single());
    }

    public ServeConfig withPort(int newPort) {
        return new ServeConfig(host, newPort, dataDir, store, retentionDays, adminKey, engine, packetTtl, expiryInterval, maxBodyBytes, limits, payments, merchants, devLogin, ownership);
    }

    public ServeConfig withAdminKey(String key) {
        return new ServeConfig(host, port, dataDir, store, retentionDays, key, engine, packetTtl, expiryInterval, maxBodyBytes, limits, payments, merchants, devLogin, ownership);
    }

    public ServeConfig withStore(String newStore) {
        return new ServeConfig(host, port, dataDir, newStore, retentionDays, adminKey, engine, packetTtl, expiryInterval, maxBodyBytes, limits, payments, merchants, devLogin, ownership);
    }

    public ServeConfig withMerchants(MerchantConfig newMerchants) {
        return new ServeConfig(host, port, dataDir, store, retentionDays, adminKey, engine, packetTtl, expiryInterval, maxBodyBytes, limits, payments, newMerchants, devLogin, ownership);
    }

    public ServeConfig withPayments(PaymentConfig newPayments) {
        return new ServeConfig(host, port, dataDir, store, retentionDays, adminKey, engine, packetTtl, expiryInterval, maxBodyBytes, limits, newPayments, merchants, devLogin, ownership);
    }

    public ServeConfig withOwnership(hongbao.cluster.Ownership newOwnership) {
        return new ServeConfig(host, port, dataDir, store, retentionDays, adminKey, engine, packetTtl, expiryInterval, maxBodyBytes, limits, payments, merchants, devLogin, newOwnership);
    }

    public ServeConfig withDevLogin(boolean on) {
        return new ServeConfig(host, port, dataDir, store, retentionDays, adminKey, engine, packetTtl, expiryInterval, maxBodyBytes, limits, payments, merchants, on, ownership);
    }
}
