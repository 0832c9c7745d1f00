package hongbao.bench;

import hongbao.domain.Packet;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import hongbao.store.Store;
import hongbao.store.packets.StoredPacket;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Design {@code ceiling-layout}: today's rows for the winning opens (claim, transfer, wallet and packet updates,
 * through the store), written by one thread in batched transactions with nothing else going on (no requests, no
 * queues, no admission). The limit of that layout, not of the disk: {@link Ceiling} is the disk's.
 */
final class LayoutCeiling {
    private LayoutCeiling() {
    }

    static OpenRunner.Counts run(Store store, Fixture fixture, Clock clock, int batchSize) {
        Map<Long, Packet> packets = new HashMap<>();
        for (StoredPacket stored : store.livePackets()) {
            packets.put(stored.packet().id(), stored.packet());
        }
        List<Fixture.PlannedOpen> winners = fixture.winners(packets);
        Latencies latencies = new Latencies();
        long started = System.nanoTime();
        for (int from = 0; from < winners.size(); from += batchSize) {
            List<Fixture.PlannedOpen> batch = winners.subList(from, Math.min(winners.size(), from + batchSize));
            long batchStarted = System.nanoTime();
            store.write(tx -> {
                Map<Long, Packet> touched = new LinkedHashMap<>();
                for (Fixture.PlannedOpen open : batch) {
                    Packet packet = packets.get(open.packetId());
                    PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packet, open.userId(), false, clock.instant(),
                            SetLayout.ONE_SET);
                    tx.recordOpen(opened, SetLayout.ONE_SET);
                    packets.put(packet.id(), opened.after());
                    touched.put(packet.id(), opened.after());
                }
                touched.values().forEach(tx::updatePacketProgress);
                return null;
            });
            long batchNanos = System.nanoTime() - batchStarted;
            for (int i = 0; i < batch.size(); i++) {
                latencies.add(batchNanos);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new OpenRunner.Counts(winners.size(), 0, 0, seconds, latencies);
    }
}
