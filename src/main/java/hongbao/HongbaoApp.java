package hongbao;

import hongbao.app.AccountService;
import hongbao.app.Directory;
import hongbao.app.ExpiryJob;
import hongbao.app.MaintenanceJob;
import hongbao.app.PacketService;
import hongbao.app.TokenService;
import hongbao.domain.SetLayout;
import hongbao.engine.CreditRelay;
import hongbao.engine.EngineMetrics;
import hongbao.engine.PacketEngine;
import hongbao.http.ApiServer;
import hongbao.store.Stores;
import hongbao.store.StoreSets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The running service: store, engine, jobs and HTTP server wired together, and stopped in reverse order. */
public final class HongbaoApp implements AutoCloseable {
    private final StoreSets sets;
    private final PacketEngine engine;
    private final CreditRelay relay;
    private final ApiServer server;
    private final ScheduledExecutorService jobs;
    private final ExpiryJob expiryJob;

    private HongbaoApp(ServeConfig config, Clock anyClock, String adminKey, String tokenSecret) {
        // The store keeps milliseconds; ticking in milliseconds keeps answers and stored views identical.
        Clock clock = Clock.tick(anyClock, java.time.Duration.ofMillis(1));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.sets = Stores.openSets(config.store(), config.dataDir(), config.engine().shards(), config.retentionDays());
        EngineMetrics metrics = new EngineMetrics(meters);
        this.relay = new CreditRelay(sets, clock, metrics);
        // Credits a crash left half-done are finished before anyone can look at a wallet.
        relay.deliverAll();
        this.engine = new PacketEngine(sets, clock, config.engine(), metrics, relay::wake);
        relay.start();
        Directory directory = new Directory(sets);
        AccountService accounts = new AccountService(sets, directory, clock, config.limits());
        PacketService packets = new PacketService(sets, engine, directory, clock, config.limits(), config.packetTtl());
        TokenService tokens = new TokenService(tokenSecret, clock);
        this.expiryJob = new ExpiryJob(sets, engine, clock);
        MaintenanceJob maintenance = new MaintenanceJob(sets, clock);
        maintenance.run();
        this.jobs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("jobs").daemon().factory());
        long interval = config.expiryInterval().toMillis();
        jobs.scheduleWithFixedDelay(expiryJob, interval, interval, TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(maintenance, 1, 1, TimeUnit.HOURS);
        this.server = new ApiServer(new ApiServer.Settings(config.host(), config.port(), config.maxBodyBytes(), adminKey),
                sets, accounts, packets, tokens, () -> engine.healthy() && sets.ping(), meters::scrape);
    }

    public static HongbaoApp start(ServeConfig config, Clock clock, String adminKey, String tokenSecret) {
        return new HongbaoApp(config, clock, adminKey, tokenSecret);
    }

    public int port() {
        return server.port();
    }

    public SetLayout layout() {
        return sets.layout();
    }

    /** Applies every cross-SET credit still in an outbox before returning. */
    public void deliverPendingCredits() {
        relay.deliverAll();
    }

    public ExpiryJob expiryJob() {
        return expiryJob;
    }

    @Override
    public void close() {
        server.close();
        jobs.shutdownNow();
        engine.close();
        relay.close();
        sets.close();
    }
}
