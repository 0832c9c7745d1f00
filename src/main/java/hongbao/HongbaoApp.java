package hongbao;

import hongbao.app.AccountService;
import hongbao.app.Directory;
import hongbao.app.ExpiryJob;
import hongbao.app.MaintenanceJob;
import hongbao.app.PacketService;
import hongbao.app.TokenService;
import hongbao.engine.EngineMetrics;
import hongbao.engine.PacketEngine;
import hongbao.http.ApiServer;
import hongbao.http.OperatorSummary;
import hongbao.store.Stores;
import hongbao.store.Store;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The running service: store, engine, jobs and HTTP server wired together, and stopped in reverse order. */
public final class HongbaoApp implements AutoCloseable {
    private final Store store;
    private final PacketEngine engine;
    private final ApiServer server;
    private final ScheduledExecutorService jobs;
    private final ExpiryJob expiryJob;

    private HongbaoApp(ServeConfig config, Clock anyClock, String adminKey, String tokenSecret) {
        // The store keeps milliseconds; ticking in milliseconds keeps answers and stored views identical.
        Clock clock = Clock.tick(anyClock, java.time.Duration.ofMillis(1));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.store = Stores.open(config.store(), config.dataDir(), config.engine().shards(), config.retentionDays());
        this.engine = new PacketEngine(store, clock, config.engine(), new EngineMetrics(meters));
        Directory directory = new Directory(store);
        AccountService accounts = new AccountService(store, directory, clock, config.limits());
        PacketService packets = new PacketService(store, engine, directory, clock, config.limits(), config.packetTtl());
        TokenService tokens = new TokenService(tokenSecret, clock);
        this.expiryJob = new ExpiryJob(store, engine, clock);
        store.maintain(clock.instant());
        this.jobs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("jobs").daemon().factory());
        long interval = config.expiryInterval().toMillis();
        jobs.scheduleWithFixedDelay(expiryJob, interval, interval, TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(new MaintenanceJob(store, clock), 1, 1, TimeUnit.HOURS);
        this.server = new ApiServer(new ApiServer.Settings(config.host(), config.port(), config.maxBodyBytes(), adminKey,
                config.devLogin(), config.limits(), config.packetTtl()),
                store, accounts, packets, tokens, () -> engine.healthy() && store.ping(), meters::scrape,
                new OperatorSummary(meters, expiryJob::recentRefunds));
    }

    public static HongbaoApp start(ServeConfig config, Clock clock, String adminKey, String tokenSecret) {
        return new HongbaoApp(config, clock, adminKey, tokenSecret);
    }

    public int port() {
        return server.port();
    }

    public ExpiryJob expiryJob() {
        return expiryJob;
    }

    @Override
    public void close() {
        server.close();
        jobs.shutdownNow();
        engine.close();
        store.close();
    }
}
