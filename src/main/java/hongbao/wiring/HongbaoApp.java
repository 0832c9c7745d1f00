package hongbao.wiring;


import hongbao.app.AccountService;
import hongbao.app.CampaignDispatcher;
import hongbao.app.CampaignService;
import hongbao.app.MerchantAccounts;
import hongbao.app.MerchantDirectory;
import hongbao.app.MerchantServices;
import hongbao.app.RedpackService;
import hongbao.app.Directory;
import hongbao.app.ExpiryJob;
import hongbao.app.MaintenanceJob;
import hongbao.app.PacketService;
import hongbao.app.RecordService;
import hongbao.app.TokenService;
import hongbao.app.UserEvents;
import hongbao.events.EventFeed;
import hongbao.events.EventTrimming;
import hongbao.events.WebhookDelivery;
import hongbao.store.Store;
import hongbao.domain.SetLayout;
import hongbao.engine.CreditRelay;
import hongbao.engine.EngineListeners;
import hongbao.engine.Reconciler;
import hongbao.app.PaymentService;
import hongbao.app.JournalDerivation;
import hongbao.app.PaymentBacklog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import hongbao.engine.EngineMetrics;
import hongbao.engine.PacketEngine;
import hongbao.http.ApiServer;
import hongbao.http.OperatorSummary;
import hongbao.app.DataDirectoryLock;
import hongbao.store.StoreSets;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;
import hongbao.cluster.LeaseKeeper;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The running service: store, engine, jobs and HTTP server wired together, and stopped in reverse order. */
public final class HongbaoApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HongbaoApp.class);
    /** How often the payment backlog gauges are counted again: about a Prometheus scrape interval. */
    private static final Duration PAYMENT_BACKLOG_POLL = Duration.ofSeconds(15);
    /** Requests this node passed on to another SET's owner, by SET: with a right proxy map, only user calls. */
    private static final String PASSED_ON = "hongbao.passed.on";

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private final DataDirectoryLock dataDirLock;
    private final StoreSets sets;
    private final PacketEngine engine;
    private final CreditRelay relay;
    private final Reconciler reconciler;
    private final PaymentService payments;
    private final ApiServer server;
    private final ScheduledExecutorService jobs;
    private final ExpiryJob expiryJob;
    private final CampaignDispatcher campaignDispatcher;
    private final PaymentBacklog paymentBacklog;
    private final JournalDerivation derivation;
    private final LeaseKeeper leaseKeeper;
    private final PrometheusMeterRegistry meters;
    private final EventFeed eventFeed;
    private final EventTrimming eventTrimming;
    private final WebhookDelivery webhooks;
    /** How often this node looks for new events in every SET's log: the stream's delay, at most. */
    private static final java.time.Duration EVENT_POLL = java.time.Duration.ofMillis(100);
    private static final int EVENTS_KEPT_PER_SET = 10_000;

    /** The parts, in the order they start: each is ready before the next one needs it. */
    private HongbaoApp(ServeConfig config, Clock anyClock, String adminKey, String tokenSecret,
            DataDirectoryLock dataDirLock, IntConsumer lostSet) {
        // The store keeps milliseconds; ticking in milliseconds keeps answers and stored views identical.
        Clock clock = Clock.tick(anyClock, java.time.Duration.ofMillis(1));
        this.dataDirLock = dataDirLock;
        this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.leaseKeeper = LeaseKeeper.start(config.ownership().leaseTtl(), lostSet);
        this.sets = openSets(config, leaseKeeper);
        EngineMetrics metrics = new EngineMetrics(meters);
        this.relay = new CreditRelay(sets, clock, metrics);
        this.reconciler = new Reconciler(sets, clock, config.payments().secondPassDelay(), relay::wake);
        // Work a crash left half-done is finished before anyone can look at a wallet.
        reconciler.runAllDue();
        relay.deliverAll();
        this.engine = new PacketEngine(sets, clock, config.engine(), metrics,
                new EngineListeners(relay::wake, reconciler::wake));
        relay.start();
        reconciler.start();
        Services services = Services.build(sets, engine, clock, config, tokenSecret);
        this.expiryJob = new ExpiryJob(sets, engine, clock);
        this.payments = services.payments();
        this.campaignDispatcher = new CampaignDispatcher(sets, services.merchantDirectory(), services.packets(), clock,
                config.merchants().limits(), config.limits(), config.merchants().dispatchBatch());
        this.eventFeed = EventFeed.start(sets.all().stream().map(Store::events).toList(), EVENT_POLL, EVENTS_KEPT_PER_SET);
        this.eventTrimming = new EventTrimming(config.events(), sets, clock);
        MaintenanceJob maintenance = new MaintenanceJob(sets, clock);
        maintenance.run();
        this.derivation = JournalDerivation.start(sets, meters);
        this.paymentBacklog = new PaymentBacklog(sets, meters);
        this.webhooks = new WebhookDelivery(config.events(), sets, clock, meters);
        this.jobs = scheduleJobs(config, maintenance, clock);
        this.server = listen(config, adminKey, services, clock);
    }

    /** The SETs this node owns (their leases kept from the moment each is taken) and the others, visited. */
    private static StoreSets openSets(ServeConfig config, LeaseKeeper leaseKeeper) {
        try {
            return Stores.openSets(config.store(), config.dataDir(), config.engine().shards(), config.retentionDays(),
                    config.ownership(), leaseKeeper::keep);
        } catch (RuntimeException cannotOpen) {
            leaseKeeper.close();
            throw cannotOpen;
        }
    }

    /** The services the HTTP edge calls. */
    private record Services(Directory directory, AccountService accounts, PacketService packets, TokenService tokens,
            PaymentService payments, MerchantDirectory merchantDirectory, MerchantServices merchants,
            RecordService records) {
        static Services build(StoreSets sets, PacketEngine engine, Clock clock, ServeConfig config, String tokenSecret) {
            Directory directory = new Directory(sets);
            AccountService accounts = new AccountService(sets, directory, clock, config.limits());
            PacketService packets = new PacketService(sets, engine, directory, clock, config.limits(), config.packetTtl());
            TokenService tokens = new TokenService(tokenSecret, clock);
            PaymentService payments = new PaymentService(sets, engine, clock, config.payments().timeout());
            MerchantDirectory merchantDirectory = new MerchantDirectory(sets);
            MerchantAccounts merchantAccounts = new MerchantAccounts(sets, merchantDirectory, accounts, clock);
            ServeConfig.MerchantConfig merchantConfig = config.merchants();
            MerchantServices merchants = new MerchantServices(merchantDirectory, merchantAccounts,
                    new RedpackService(sets, merchantDirectory, accounts, packets, clock, merchantConfig.limits(),
                            config.limits()),
                    new CampaignService(sets, merchantAccounts, merchantDirectory, clock, merchantConfig.limits()));
            return new Services(directory, accounts, packets, tokens, payments, merchantDirectory, merchants,
                    new RecordService(sets, directory, clock));
        }
    }

    /**
     * The periodic jobs, on one thread: expiry, payment timeouts, partitions, trimming the event logs, the payment
     * backlog, campaign wins.
     */
    private ScheduledExecutorService scheduleJobs(ServeConfig config, MaintenanceJob maintenance, Clock clock) {
        ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("jobs").daemon().factory());
        long interval = config.expiryInterval().toMillis();
        jobs.scheduleWithFixedDelay(expiryJob, interval, interval, TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(retriedNextTime("payment timeout pass", payments::cancelOverdue), interval, interval,
                TimeUnit.MILLISECONDS);
        jobs.scheduleWithFixedDelay(maintenance, 1, 1, TimeUnit.HOURS);
        jobs.scheduleWithFixedDelay(retriedNextTime("trimming the event logs", eventTrimming), 0, 1, TimeUnit.HOURS);
        paymentBacklog.run();
        jobs.scheduleWithFixedDelay(retriedNextTime("counting the payment backlog", paymentBacklog),
                PAYMENT_BACKLOG_POLL.toMillis(), PAYMENT_BACKLOG_POLL.toMillis(), TimeUnit.MILLISECONDS);
        long dispatchInterval = config.merchants().dispatchInterval().toMillis();
        jobs.scheduleWithFixedDelay(campaignDispatcher, dispatchInterval, dispatchInterval, TimeUnit.MILLISECONDS);
        return jobs;
    }

    /** The HTTP server, listening; if it cannot, everything started before it is stopped. */
    private ApiServer listen(ServeConfig config, String adminKey, Services services, Clock clock) {
        String providerKey = java.util.Objects.requireNonNull(config.payments().providerKey(),
                "the payment provider's key is resolved before the app starts (Launch)");
        try {
            return new ApiServer(new ApiServer.Settings(config.host(), config.port(), config.maxBodyBytes(),
                    adminKey, providerKey, config.payments().providerSignType(), config.devLogin(), config.limits(),
                    config.packetTtl(), config.events().maxStreams()),
                    sets, services.accounts(), services.packets(), services.records(), payments, services.merchants(),
                    services.tokens(), () -> engine.healthy() && sets.ping(),
                    meters::scrape, new OperatorSummary(meters, expiryJob::recentRefunds, clock),
                    set -> meters.counter(PASSED_ON, "set", Integer.toString(set)).increment(),
                    new UserEvents(eventFeed, services.directory()), webhooks);
        } catch (RuntimeException cannotListen) {
            stopAllButServer();
            throw cannotListen;
        }
    }

    public static HongbaoApp start(ServeConfig config, Clock clock, String adminKey, String tokenSecret) {
        // In-process (tests, tools) the app keeps running: the lease keeper has logged the loss, and the fence refuses
        // every write to that SET.
        return start(config, clock, adminKey, tokenSecret, set -> { });
    }

    /** @param lostSet told when another node has taken over one of this node's SETs (the fence refuses its writes) */
    public static HongbaoApp start(ServeConfig config, Clock clock, String adminKey, String tokenSecret, IntConsumer lostSet) {
        DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDir());
        try {
            return new HongbaoApp(config, clock, adminKey, tokenSecret, lock, lostSet);
        } catch (RuntimeException failedStart) {
            lock.close();
            throw failedStart;
        }
    }

    /** The HTTP API's routes as "METHOD /path/{param}". */
    public List<String> routes() {
        return server.routes();
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

    /** Runs the reconciler passes due now (by the service's clock) before returning. */
    public void runDueReconciliations() {
        reconciler.runAllDue();
    }

    public PaymentService payments() {
        return payments;
    }

    /** Counts the payment backlog gauges now (the jobs do it every 15 s). */
    public void countPaymentBacklog() {
        paymentBacklog.run();
    }

    /** A scheduled task that throws is never run again: its failure is logged, and the next tick retries. */
    private static Runnable retriedNextTime(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{} failed; the next run retries", what, e);
            }
        };
    }

    /** Pays the campaign wins that can be paid now before returning (the job does it every dispatch interval). */
    public int dispatchCampaignWins() {
        return campaignDispatcher.dispatch();
    }

    /** Trims the event logs now (the job does it hourly). */
    public void trimEvents() {
        eventTrimming.run();
    }

    public ExpiryJob expiryJob() {
        return expiryJob;
    }

    /**
     * Stops as a proxy wants it (SIGTERM): the server says it is not ready and keeps serving for {@code period}, so
     * that the proxy stops sending requests here, then stops: requests in flight are answered, the shard queues are
     * committed, the jobs end.
     */
    public void drainAndClose(Duration period) throws InterruptedException {
        server.drain();
        log.info("draining for {} ms before stopping", period.toMillis());
        Thread.sleep(period.toMillis());
        close();
    }

    /** Stops at once; a second call (the shutdown hook after a drain) does nothing. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        server.close();
        stopAllButServer();
        var batches = meters.get("hongbao.batch.size").summary();
        log.info("stopped: {} commands committed in {} group commits since start, none left queued; the store is closed",
                (long) batches.totalAmount(), batches.count());
    }

    private void stopAllButServer() {
        jobs.shutdownNow();
        eventFeed.close();
        webhooks.close();
        leaseKeeper.close();
        derivation.close();
        engine.close();
        reconciler.close();
        relay.close();
        sets.close();
        dataDirLock.close();
    }
}
