package hongbao.sim;

import hongbao.app.AccountService;
import hongbao.app.CampaignDispatcher;
import hongbao.app.CampaignService;
import hongbao.app.MerchantAccounts;
import hongbao.app.MerchantDirectory;
import hongbao.app.RedpackService;
import hongbao.domain.MerchantLimits;
import hongbao.app.Directory;
import hongbao.app.ExpiryJob;
import hongbao.app.PacketService;
import hongbao.app.PaymentService;
import hongbao.domain.Limits;
import hongbao.domain.SetLayout;
import hongbao.engine.CreditRelay;
import hongbao.engine.EngineConfig;
import hongbao.engine.EngineListeners;
import hongbao.engine.EngineMetrics;
import hongbao.engine.PacketEngine;
import hongbao.engine.Reconciler;
import hongbao.store.StoreSets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One life of the service's process: everything it holds in memory, wired as {@code HongbaoApp} wires it, but with
 * no thread of its own: the simulation runs the workers, the relay, the reconciler and the jobs when it chooses.
 */
final class SimNode {
    static final Duration TTL = Duration.ofHours(24);
    static final Duration PAYMENT_TIMEOUT = Duration.ofMinutes(15);
    static final Duration SECOND_PASS_DELAY = Duration.ofSeconds(5);
    private static final int DISPATCH_BATCH = 3;

    final List<SimDatabase.Process> processes;
    final StoreSets sets;
    final CreditRelay relay;
    final Reconciler reconciler;
    final PacketEngine engine;
    final AccountService accounts;
    final PacketService packets;
    final PaymentService payments;
    final ExpiryJob expiry;
    final MerchantAccounts merchantAccounts;
    final RedpackService redpacks;
    final CampaignService campaigns;
    final CampaignDispatcher dispatcher;
    /** Set when the fence refused one of this process's writes: its SETs were taken over, and the service stops. */
    final AtomicBoolean fenced;

    private SimNode(List<SimDatabase.Process> processes, AtomicBoolean fenced, SetLayout layout, SimClock clock,
            SplittableRandom random) {
        this.processes = processes;
        this.fenced = fenced;
        this.sets = new StoreSets(layout, processes.stream().map(SimDatabase.Process::store).toList());
        EngineMetrics metrics = new EngineMetrics(new SimpleMeterRegistry());
        this.relay = new CreditRelay(sets, clock, metrics);
        this.reconciler = new Reconciler(sets, clock, SECOND_PASS_DELAY, relay::wake);
        // The service's start: work a crash left half-done is finished before anyone can look at a wallet.
        reconciler.runAllDue();
        relay.deliverAll();
        SplittableRandom shards = random.split();
        this.engine = new PacketEngine(sets, clock, new EngineConfig(layout.shards(), 2, 1_000, 100), metrics,
                new EngineListeners(relay::wake, reconciler::wake), PacketEngine.Workers.CALLER_DRIVEN, () -> shards);
        Directory directory = new Directory(sets);
        this.accounts = new AccountService(sets, directory, clock, Limits.DEFAULT);
        this.packets = new PacketService(sets, engine, directory, clock, Limits.DEFAULT, TTL, random.split());
        this.payments = new PaymentService(sets, engine, clock, PAYMENT_TIMEOUT);
        this.expiry = new ExpiryJob(sets, engine, clock);
        MerchantDirectory merchants = new MerchantDirectory(sets);
        this.merchantAccounts = new MerchantAccounts(sets, merchants, accounts, clock);
        this.redpacks = new RedpackService(sets, merchants, accounts, packets, clock, MerchantLimits.DEFAULT, Limits.DEFAULT);
        this.campaigns = new CampaignService(sets, merchantAccounts, merchants, clock, MerchantLimits.DEFAULT, random.split());
        this.dispatcher = new CampaignDispatcher(sets, merchants, packets, clock, MerchantLimits.DEFAULT, Limits.DEFAULT,
                DISPATCH_BATCH, OnThisThread::new);
    }

    /**
     * Starts a process on the databases' durable state, wrapping each store in the faults. It takes every SET first,
     * fencing any earlier process that is only paused. A failure during the start (a fault in the recovery itself)
     * kills the process, as it would kill the service's; the caller starts again.
     */
    static SimNode start(List<SimDatabase> databases, SetLayout layout, SimClock clock, Faults faults,
            SplittableRandom random) {
        List<SimDatabase.Process> processes = new ArrayList<>();
        AtomicBoolean fenced = new AtomicBoolean();
        try {
            for (SimDatabase database : databases) {
                SimDatabase.Process process = database.open(faults, database.take(), () -> fenced.set(true));
                processes.add(new SimDatabase.Process(new FaultyStore(process.store(), faults), process.writer(),
                        process.reader(), process.journal()));
            }
            return new SimNode(processes, fenced, layout, clock, random);
        } catch (RuntimeException | SimulatedCrash failedStart) {
            processes.forEach(SimDatabase.Process::die);
            throw failedStart;
        }
    }

    /** The process is gone: its memory with it, and its open transactions. */
    void die() {
        processes.forEach(SimDatabase.Process::die);
    }
}
