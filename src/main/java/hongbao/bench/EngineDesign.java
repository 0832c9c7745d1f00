package hongbao.bench;

import hongbao.app.Directory;
import hongbao.app.JournalDerivation;
import hongbao.app.PacketService;
import hongbao.domain.AuditReport;
import hongbao.domain.ErrorCode;
import hongbao.domain.LedgerAudit;
import hongbao.domain.Limits;
import hongbao.domain.Rejection;
import hongbao.engine.EngineConfig;
import hongbao.engine.EngineListeners;
import hongbao.engine.EngineMetrics;
import hongbao.engine.PacketEngine;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/** Ours: admission control, per-shard serial workers, group commit; the service layer without HTTP. */
final class EngineDesign implements Design {
    private final Store store;
    private final PacketEngine engine;
    private final PacketService packets;
    private final String name;
    private final JournalDerivation derivation;
    private final Latencies ackToDerived = new Latencies();
    private int backlogAtEnd;
    private long tailMillis;

    /** @param name "engine", or "engine-tables" on a store that writes opens straight into the tables */
    EngineDesign(String name, Store store, Clock clock, EngineConfig config) {
        this.name = name;
        this.store = store;
        StoreSets sets = StoreSets.single(store, config.shards());
        store.watchDerivationLag(ackToDerived::add);
        // Derived as the service derives it, during the run and on the machine's cores the run also uses.
        this.derivation = JournalDerivation.start(sets, new SimpleMeterRegistry());
        // One SET: every claim is credited in its own transaction, so no relay is needed.
        this.engine = new PacketEngine(sets, clock, config, new EngineMetrics(new SimpleMeterRegistry()),
                EngineListeners.NONE);
        Directory directory = new Directory(sets);
        this.packets = new PacketService(sets, engine, directory, clock, Limits.DEFAULT, Duration.ofHours(24));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Outcome open(long packetId, String userId) {
        try {
            packets.open(userId, packetId);
            return Outcome.ACK;
        } catch (Rejection rejection) {
            return rejection.code() == ErrorCode.BUSY || rejection.code() == ErrorCode.UNAVAILABLE ? Outcome.FAILED
                    : Outcome.REFUSED;
        }
    }

    @Override
    public AuditReport audit() {
        // What the run left in the journal is derived first, and timed: opens/s counts acknowledgements, and this
        // says how much derivation work they left behind.
        backlogAtEnd = store.journalBacklog();
        long started = System.nanoTime();
        // The background passes stop first: this one would wait behind theirs, a wait bounded by JdbcStore's
        // DIRECT_WRITE_WAIT, which one pass over a large backlog can outlast on a slow disk or with a synchronous standby.
        derivation.close();
        store.deriveJournal();
        tailMillis = (System.nanoTime() - started) / 1_000_000;
        return LedgerAudit.evaluate(store.auditFacts());
    }

    @Override
    public DerivationTail derivationTail() {
        return name.equals("engine") ? new DerivationTail(backlogAtEnd, ackToDerived.percentileMicros(0.99)) : null;
    }

    @Override
    public String diagnostics() {
        return engine.metrics().batchSummary() + "; journal backlog when the run ended " + backlogAtEnd + ", derived in "
                + tailMillis + " ms";
    }

    @Override
    public void close() {
        derivation.close();
        engine.close();
    }
}
