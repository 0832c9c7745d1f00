package hongbao.cli;

import hongbao.domain.Limits;
import hongbao.domain.MerchantLimits;
import hongbao.engine.EngineConfig;
import hongbao.paysim.SignTypeConverter;
import hongbao.wiring.HongbaoApp;
import hongbao.wiring.ServeConfig;
import hongbao.wiring.Stores;
import hongbao.wxpay.SignType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;
import static hongbao.cli.StartupChecks.atLeast;
import static hongbao.cli.StartupChecks.atMost;
import static hongbao.cli.StartupChecks.checked;
import static hongbao.cli.StartupChecks.embeddedStore;
import static hongbao.cli.StartupChecks.startStep;
import static hongbao.cli.StartupChecks.storeSettings;

@Command(name = "serve", mixinStandardHelpOptions = true, showDefaultValues = true, description = "Run the HTTP service until stopped.")
final class ServeCommand implements Callable<Integer> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServeCommand.class);

    @CommandLine.Mixin
    StoreOptions data = new StoreOptions();

    @CommandLine.Mixin
    RetentionOption retention = new RetentionOption();

    @Option(names = "--host", defaultValue = "${env:HONGBAO_HOST:-0.0.0.0}", description = "listen address (HONGBAO_HOST)")
    String host;

    @Option(names = "--port", defaultValue = "${env:HONGBAO_PORT:-8080}", description = "HTTP port, 0 = any free (HONGBAO_PORT)")
    int port;

    @Option(names = "--admin-key", defaultValue = "${env:HONGBAO_ADMIN_KEY}", description = "admin bearer key (HONGBAO_ADMIN_KEY; generated into the data dir if unset)")
    String adminKey;

    @Option(names = "--workers", defaultValue = "${env:HONGBAO_WORKERS:-1}", description = "shard worker threads; SQLite has one writer, so 1 (HONGBAO_WORKERS)")
    int workers;

    @Option(names = "--queue-bound", defaultValue = "${env:HONGBAO_QUEUE_BOUND:-10000}", description = "queued commands per worker before 429 BUSY (HONGBAO_QUEUE_BOUND)")
    int queueBound;

    @Option(names = "--max-batch", defaultValue = "${env:HONGBAO_MAX_BATCH:-1000}", description = "most commands per group commit (HONGBAO_MAX_BATCH)")
    int maxBatch;

    @Option(names = "--packet-ttl-seconds", defaultValue = "${env:HONGBAO_PACKET_TTL_SECONDS:-86400}", description = "packet lifetime (HONGBAO_PACKET_TTL_SECONDS)")
    long packetTtlSeconds;

    @Option(names = "--expiry-interval-ms", defaultValue = "${env:HONGBAO_EXPIRY_INTERVAL_MS:-1000}", description = "how often expired packets are refunded (HONGBAO_EXPIRY_INTERVAL_MS)")
    long expiryIntervalMs;

    @Option(names = "--max-body-bytes", defaultValue = "${env:HONGBAO_MAX_BODY_BYTES:-16384}", description = "largest request body (HONGBAO_MAX_BODY_BYTES)")
    int maxBodyBytes;

    @Option(names = "--max-count", defaultValue = "${env:HONGBAO_MAX_COUNT:-100}", description = "most shares per packet (HONGBAO_MAX_COUNT)")
    int maxCount;

    @Option(names = "--max-share", defaultValue = "${env:HONGBAO_MAX_SHARE:-20000}", description = "largest share in fen (HONGBAO_MAX_SHARE)")
    long maxShare;

    @Option(names = "--max-deposit", defaultValue = "${env:HONGBAO_MAX_DEPOSIT:-10000000000}", description = "largest single deposit in fen (HONGBAO_MAX_DEPOSIT)")
    long maxDeposit;

    @Option(names = "--payment-key", defaultValue = "${env:HONGBAO_PAYMENT_KEY}", description = "key the payment provider signs notifications with (HONGBAO_PAYMENT_KEY; generated into the data dir as payment.key if unset)")
    String paymentKey;

    @Option(names = "--payment-sign-type", defaultValue = "${env:HONGBAO_PAYMENT_SIGN_TYPE:-MD5}", converter = SignTypeConverter.class,
            description = "how the payment provider signs notifications, MD5 or HMAC-SHA256 (HONGBAO_PAYMENT_SIGN_TYPE)")
    SignType paymentSignType;

    @Option(names = "--payment-timeout-seconds", defaultValue = "${env:HONGBAO_PAYMENT_TIMEOUT_SECONDS}", description = "a third-party packet whose money has not arrived by then is cancelled; unset = 900 or half the packet lifetime, whichever is shorter (HONGBAO_PAYMENT_TIMEOUT_SECONDS)")
    Long paymentTimeoutSeconds;

    @Option(names = "--reconcile-delay-ms", defaultValue = "${env:HONGBAO_RECONCILE_DELAY_MS:-5000}", description = "when the reconciler's second pass over a paid packet's claims runs (HONGBAO_RECONCILE_DELAY_MS)")
    long reconcileDelayMs;

    @Option(names = "--dev-login", arity = "0..1", fallbackValue = "true", defaultValue = "${env:HONGBAO_DEV_LOGIN}",
            description = "let the web UI log in as any user without a token; default on with the embedded SQLite store, "
                    + "off with PostgreSQL (HONGBAO_DEV_LOGIN=true|false)")
    Boolean devLogin;

    @Option(names = "--merchant-min-amount", defaultValue = "${env:HONGBAO_MERCHANT_MIN_AMOUNT:-100}", description = "merchant API: smallest packet or share, fen (HONGBAO_MERCHANT_MIN_AMOUNT)")
    long merchantMinAmount;

    @Option(names = "--merchant-max-amount", defaultValue = "${env:HONGBAO_MERCHANT_MAX_AMOUNT:-20000}", description = "merchant API: largest packet or share, fen, at most --max-share (HONGBAO_MERCHANT_MAX_AMOUNT)")
    long merchantMaxAmount;

    @Option(names = "--merchant-daily-sends-per-user", defaultValue = "${env:HONGBAO_MERCHANT_DAILY_SENDS_PER_USER:-10}", description = "merchant API: most packets from one merchant to one user per Beijing day (HONGBAO_MERCHANT_DAILY_SENDS_PER_USER)")
    int merchantDailySendsPerUser;

    @Option(names = "--merchant-sends-per-minute", defaultValue = "${env:HONGBAO_MERCHANT_SENDS_PER_MINUTE:-1800}", description = "merchant API: most new sends per merchant and minute (HONGBAO_MERCHANT_SENDS_PER_MINUTE)")
    int merchantSendsPerMinute;

    @Option(names = "--campaign-dispatch-interval-ms", defaultValue = "${env:HONGBAO_CAMPAIGN_DISPATCH_INTERVAL_MS:-1000}", description = "how often the campaign dispatcher pays new wins (HONGBAO_CAMPAIGN_DISPATCH_INTERVAL_MS)")
    long campaignDispatchIntervalMs;

    @Option(names = "--campaign-dispatch-batch", defaultValue = "${env:HONGBAO_CAMPAIGN_DISPATCH_BATCH:-200}", description = "wins paid per dispatcher batch (HONGBAO_CAMPAIGN_DISPATCH_BATCH)")
    int campaignDispatchBatch;

    @Option(names = "--drain-seconds", defaultValue = "${env:HONGBAO_DRAIN_SECONDS:-5}", description = "on SIGTERM, how long /ready answers 503 while requests are still served, before the server stops (HONGBAO_DRAIN_SECONDS)")
    long drainSeconds;

    @Option(names = "--own", defaultValue = "${env:HONGBAO_OWN}", split = ",",
            description = "cluster: the SETs this node owns, e.g. 0,2 (PostgreSQL SETs only; HONGBAO_OWN); unset = every SET, one node")
    java.util.List<Integer> own;

    @Option(names = "--node-url", defaultValue = "${env:HONGBAO_NODE_URL}",
            description = "cluster: this node's URL as other nodes reach it, e.g. http://10.0.0.2:8080 (HONGBAO_NODE_URL); required with --own")
    String nodeUrl;

    @Option(names = "--take-over", defaultValue = "${env:HONGBAO_TAKE_OVER:-false}",
            description = "cluster: take the owned SETs at once, fencing their holder, instead of waiting for its lease to expire (HONGBAO_TAKE_OVER)")
    boolean takeOver;

    @Option(names = "--lease-seconds", defaultValue = "${env:HONGBAO_LEASE_SECONDS:-10}",
            description = "cluster: how long a node's hold on its SETs lasts unless renewed; a dead node's SETs are taken after it (HONGBAO_LEASE_SECONDS)")
    int leaseSeconds;

    @Option(names = "--forward-timeout-seconds", defaultValue = "${env:HONGBAO_FORWARD_TIMEOUT_SECONDS:-30}",
            description = "cluster: how long a request passed on to another SET's owner waits for its answer; then 504 OUTCOME_UNKNOWN (HONGBAO_FORWARD_TIMEOUT_SECONDS)")
    int forwardTimeoutSeconds;

    @Option(names = "--webhook-urls", defaultValue = "${env:HONGBAO_WEBHOOK_URLS}", split = ",",
            description = "the host app's webhook endpoints, comma-separated; each gets every event, signed (HONGBAO_WEBHOOK_URLS; docs/events.md)")
    java.util.List<String> webhookUrls;

    @Option(names = "--webhook-secret", defaultValue = "${env:HONGBAO_WEBHOOK_SECRET}",
            description = "the shared secret webhooks are signed with, at least 16 characters (HONGBAO_WEBHOOK_SECRET)")
    String webhookSecret;

    @Option(names = "--webhook-events", defaultValue = "${env:HONGBAO_WEBHOOK_EVENTS}", split = ",",
            description = "the event types webhooks carry, e.g. packet.opened,packet.finished; unset = all (HONGBAO_WEBHOOK_EVENTS)")
    java.util.List<String> webhookEvents;

    @Option(names = "--webhook-give-up-seconds", defaultValue = "${env:HONGBAO_WEBHOOK_GIVE_UP_SECONDS:-86400}",
            description = "how long one event is retried before it becomes a dead letter (HONGBAO_WEBHOOK_GIVE_UP_SECONDS)")
    long webhookGiveUpSeconds;

    @Option(names = "--event-retention-hours", defaultValue = "${env:HONGBAO_EVENT_RETENTION_HOURS:-168}",
            description = "how long events are kept for catch-up and replay (HONGBAO_EVENT_RETENTION_HOURS)")
    long eventRetentionHours;

    @Option(names = "--max-event-streams", defaultValue = "${env:HONGBAO_MAX_EVENT_STREAMS:-0}",
            description = "the most event streams this node holds at once; beyond them 503 UNAVAILABLE; 0 = as many as half "
                    + "the heap and the open files allow (HONGBAO_MAX_EVENT_STREAMS; docs/events.md)")
    int maxEventStreams;

    @Option(names = "--log-format", defaultValue = "${env:HONGBAO_LOG_FORMAT:-text}", description = "text, or json: JSON lines with an access log line per request (HONGBAO_LOG_FORMAT)")
    String logFormat;

    /**
     * SIGTERM drains, then the command returns and the process exits 0; the JVM's own handling of the signal would
     * close at once and exit 143. Ctrl-C (SIGINT) still stops at once.
     */
    private static void drainOnSigterm(HongbaoApp app, Duration period, CountDownLatch stopped) {
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
            if (started.getAndSet(true)) {
                return;
            }
            Thread.ofPlatform().name("drain").start(() -> {
                try {
                    app.drainAndClose(period);
                    log.info("hongbao serve: drained and stopped; exiting with status 0");
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    app.close();
                } finally {
                    stopped.countDown();
                }
            });
        });
    }

    /**
     * Another node took one of this node's SETs over: the database already refuses this node's writes there, and
     * what it acknowledged is durable, so it stops at once (exit 3) rather than answer for a SET it lost.
     */
    private static void fenced(int set) {
        System.err.println("hongbao serve: SET " + set + " was taken over by another node; stopping (exit 3)");
        System.err.flush();
        Runtime.getRuntime().halt(3);
    }

    @Override
    public Integer call() throws InterruptedException {
        LogFormat format = LogFormat.parse(logFormat);
        ServeConfig config = config();
        format.apply();
        // Everything that can refuse the start is checked before anything is written, and what a refused start
        // wrote anyway (a new data directory, with its lock file and store) is removed: nothing is left behind.
        requireFreePort(host, port);
        Launch launch = startStep("HONGBAO_DATA_DIR", () -> Launch.secrets(config));
        boolean newDataDir = !java.nio.file.Files.exists(data.dataDir);
        HongbaoApp app;
        try {
            app = startStep(storeSettings(data.store), () -> HongbaoApp.start(launch.applyTo(config),
                    Clock.systemUTC(), launch.adminKey(), launch.tokenSecret(), ServeCommand::fenced));
        } catch (RuntimeException refused) {
            if (newDataDir && java.nio.file.Files.exists(data.dataDir)) {
                removeRefusedDataDir(data.dataDir, refused);
            }
            throw refused;
        }
        try {
            launch.keepGenerated(System.out);
        } catch (RuntimeException cannotWrite) {
            app.close();
            throw cannotWrite;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "shutdown"));
        Duration drain = Duration.ofSeconds(drainSeconds);
        drainOnSigterm(app, drain, stopped);
        if (config.devLogin()) {
            System.out.println("dev login is on: a browser on this machine may act as any user without a token "
                    + "(clients elsewhere are refused; --dev-login=false or HONGBAO_DEV_LOGIN=false switches it off)");
        }
        boolean everyAddress = "0.0.0.0".equals(host) || "::".equals(host);
        System.out.println("hongbao listening on http://" + (everyAddress ? "localhost" : host) + ":" + app.port()
                + (everyAddress ? " (and every other address of this machine)" : ""));
        System.out.flush();
        stopped.await();
        return 0;
    }

    /**
     * A port another process holds is refused before anything is created; the server binds it for real a moment
     * later (a port taken in between is still refused then, as ApiServer.ListenFailure).
     */
    private static void requireFreePort(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException taken) {
            throw new StartupError("HONGBAO_HOST,HONGBAO_PORT", "cannot listen on " + host + ":" + port + ": "
                    + taken.getMessage(), taken);
        }
    }

    /** Deletes the data directory a refused start created (lock file, store files): the next start begins afresh. */
    private static void removeRefusedDataDir(Path dataDir, RuntimeException refused) {
        try (java.util.stream.Stream<Path> created = java.nio.file.Files.walk(dataDir)) {
            for (Path path : created.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(path);
            }
        } catch (java.io.IOException e) {
            refused.addSuppressed(e);
            throw new StartupError("HONGBAO_DATA_DIR", refused.getMessage() + " (and " + dataDir
                    + ", created by this start, could not be removed: " + e.getMessage() + ")", refused);
        }
    }

    /** The settings checked one by one, so that a refusal names the setting to change. */
    ServeConfig config() {
        Duration packetTtl = Duration.ofSeconds(atLeast(1, packetTtlSeconds, "HONGBAO_PACKET_TTL_SECONDS"));
        Duration paymentTimeout = paymentTimeoutSeconds == null ? ServeConfig.PaymentConfig.defaultTimeout(packetTtl)
                : Duration.ofSeconds(atLeast(1, paymentTimeoutSeconds, "HONGBAO_PAYMENT_TIMEOUT_SECONDS"));
        if (paymentTimeout.compareTo(packetTtl) >= 0) {
            throw new StartupError("HONGBAO_PAYMENT_TIMEOUT_SECONDS", paymentTimeout.toSeconds()
                    + " s must be shorter than the packet lifetime (HONGBAO_PACKET_TTL_SECONDS, " + packetTtlSeconds
                    + " s); leave it unset to follow the lifetime");
        }
        atLeast(0, port, "HONGBAO_PORT");
        atMost(65_535, port, "HONGBAO_PORT");
        atLeast(1, expiryIntervalMs, "HONGBAO_EXPIRY_INTERVAL_MS");
        atLeast(1, maxBodyBytes, "HONGBAO_MAX_BODY_BYTES");
        atLeast(0, reconcileDelayMs, "HONGBAO_RECONCILE_DELAY_MS");
        atLeast(0, drainSeconds, "HONGBAO_DRAIN_SECONDS");
        atLeast(2, retention.retentionDays, "HONGBAO_RETENTION_DAYS");
        checked("HONGBAO_STORE", () -> Stores.describe(data.store, data.dataDir));
        Limits defaults = Limits.DEFAULT;
        Limits limits = checked("HONGBAO_MAX_COUNT,HONGBAO_MAX_SHARE,HONGBAO_MAX_DEPOSIT", () -> new Limits(maxCount,
                defaults.minShare(), maxShare, defaults.maxGreeting(), maxDeposit, defaults.maxMoneySupply()));
        atLeast(1, data.shards, "HONGBAO_SHARDS");
        atMost(hongbao.domain.PacketIds.MAX_SHARDS, data.shards, "HONGBAO_SHARDS");
        atLeast(1, workers, "HONGBAO_WORKERS");
        if (workers > data.shards) {
            throw new StartupError("HONGBAO_WORKERS", "must be at most the number of shards (HONGBAO_SHARDS, "
                    + data.shards + "), not " + workers);
        }
        atLeast(1, queueBound, "HONGBAO_QUEUE_BOUND");
        atLeast(1, maxBatch, "HONGBAO_MAX_BATCH");
        EngineConfig engine = new EngineConfig(data.shards, workers, queueBound, maxBatch);
        MerchantLimits merchantLimits = checked("HONGBAO_MERCHANT_MIN_AMOUNT,HONGBAO_MERCHANT_MAX_AMOUNT,"
                + "HONGBAO_MERCHANT_DAILY_SENDS_PER_USER,HONGBAO_MERCHANT_SENDS_PER_MINUTE", () -> new MerchantLimits(
                        merchantMinAmount, merchantMaxAmount, merchantDailySendsPerUser, merchantSendsPerMinute));
        checked("HONGBAO_MERCHANT_MAX_AMOUNT,HONGBAO_MAX_SHARE", () -> merchantLimits.packetLimits(limits));
        ServeConfig.MerchantConfig merchants = checked("HONGBAO_CAMPAIGN_DISPATCH_INTERVAL_MS,HONGBAO_CAMPAIGN_DISPATCH_BATCH",
                () -> new ServeConfig.MerchantConfig(merchantLimits, Duration.ofMillis(campaignDispatchIntervalMs),
                        campaignDispatchBatch));
        return new ServeConfig(host, port, data.dataDir, data.store, retention.retentionDays, adminKey, engine, packetTtl,
                Duration.ofMillis(expiryIntervalMs), maxBodyBytes, limits, new ServeConfig.PaymentConfig(paymentKey,
                        paymentSignType, paymentTimeout, Duration.ofMillis(reconcileDelayMs)), merchants,
                devLogin != null ? devLogin : embeddedStore(data.store), ownership(), events());
    }

    /** Every SET, unless --own names this node's share of a cluster. */
    /** Event retention and the host app's webhooks (docs/events.md). */
    private hongbao.events.EventSettings events() {
        java.util.Set<hongbao.store.events.EventType> types = new java.util.HashSet<>();
        for (String name : webhookEvents == null ? java.util.List.<String>of() : webhookEvents) {
            types.add(hongbao.store.events.EventType.ofWireName(name.strip()).orElseThrow(() -> new StartupError(
                    "HONGBAO_WEBHOOK_EVENTS", "no event type " + name + " (docs/events.md lists them)")));
        }
        if (types.isEmpty()) {
            types.addAll(java.util.EnumSet.allOf(hongbao.store.events.EventType.class));
        }
        java.util.List<java.net.URI> urls = new java.util.ArrayList<>();
        for (String url : webhookUrls == null ? java.util.List.<String>of() : webhookUrls) {
            urls.add(checked("HONGBAO_WEBHOOK_URLS", () -> java.net.URI.create(url.strip())));
        }
        Duration retention = Duration.ofHours(atLeast(1, eventRetentionHours, "HONGBAO_EVENT_RETENTION_HOURS"));
        Duration giveUp = Duration.ofSeconds(atLeast(1, webhookGiveUpSeconds, "HONGBAO_WEBHOOK_GIVE_UP_SECONDS"));
        atLeast(0, maxEventStreams, "HONGBAO_MAX_EVENT_STREAMS");
        hongbao.events.EventSettings defaults = hongbao.events.EventSettings.DEFAULT;
        return checked("HONGBAO_WEBHOOK_URLS,HONGBAO_WEBHOOK_SECRET,HONGBAO_EVENT_RETENTION_HOURS,HONGBAO_WEBHOOK_GIVE_UP_SECONDS",
                () -> defaults.withRetention(retention).withRetries(giveUp, defaults.backoffMax(), defaults.requestTimeout())
                        .withWebhooks(urls, webhookSecret, types).withMaxStreams(maxEventStreams));
    }

    private hongbao.cluster.Ownership ownership() {
        atLeast(1, leaseSeconds, "HONGBAO_LEASE_SECONDS");
        Duration lease = Duration.ofSeconds(leaseSeconds);
        if (own == null || own.isEmpty()) {
            if (nodeUrl != null || takeOver) {
                throw new StartupError("HONGBAO_OWN", "--node-url and --take-over are for a cluster node: name its SETs with --own");
            }
            return new hongbao.cluster.Ownership(null, hongbao.cluster.Ownership.single().node(), lease, true);
        }
        if (!Stores.allPostgres(data.store)) {
            throw new StartupError("HONGBAO_OWN,HONGBAO_STORE", "a cluster's SETs must all be PostgreSQL databases");
        }
        int sets = Stores.entries(data.store).size();
        for (int set : own) {
            if (set < 0 || set >= sets) {
                throw new StartupError("HONGBAO_OWN", "SET " + set + " is not one of the " + sets + " SETs in HONGBAO_STORE");
            }
        }
        if (nodeUrl == null || !nodeUrl.matches("https?://[^/\\s]+")) {
            throw new StartupError("HONGBAO_NODE_URL", "a cluster node needs its URL as http://host:port (no path), not " + nodeUrl);
        }
        Duration forwardTimeout = Duration.ofSeconds(atLeast(1, forwardTimeoutSeconds, "HONGBAO_FORWARD_TIMEOUT_SECONDS"));
        return new hongbao.cluster.Ownership(new java.util.TreeSet<>(own), nodeUrl, lease, takeOver, forwardTimeout);
    }
}
