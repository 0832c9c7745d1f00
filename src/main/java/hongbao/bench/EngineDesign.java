package hongbao.bench;

import hongbao.app.Directory;
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

    EngineDesign(Store store, Clock clock, EngineConfig config) {
        this.store = store;
        StoreSets sets = StoreSets.single(store, config.shards());
        // One SET: every claim is credited in its own transaction, so no relay is needed.
        this.engine = new PacketEngine(sets, clock, config, new EngineMetrics(new SimpleMeterRegistry()),
                EngineListeners.NONE);
        Directory directory = new Directory(sets);
        this.packets = new PacketService(sets, engine, directory, clock, Limits.DEFAULT, Duration.ofHours(24));
    }

    @Override
    public String name() {
        return "engine";
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
        return LedgerAudit.evaluate(store.auditFacts());
    }

    @Override
    public String diagnostics() {
        return engine.metrics().batchSummary();
    }

    @Override
    public void close() {
        engine.close();
    }
}
