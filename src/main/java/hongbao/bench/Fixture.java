package hongbao.bench;

import hongbao.domain.Accounts;
import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.PayMethod;
import hongbao.domain.Splits;
import hongbao.domain.Transfer;
import hongbao.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The same data for every design: openers in one group, a funded sender, and the scenario's packets written
 * straight into a fresh store; plus the shuffled list of opens to replay.
 */
final class Fixture {
    static final String GROUP = "bench";
    static final String SENDER = "sender";
    static final long SHARE_MEAN = 200;

    record PlannedOpen(long packetId, String userId) {
    }

    final List<Long> packetIds = new ArrayList<>();
    final List<PlannedOpen> plan = new ArrayList<>();
    final List<String> users;

    Fixture(Store store, Scenario scenario, Instant now, int shards, long seed) {
        Random random = new Random(seed);
        users = IntStream.range(0, scenario.maxOpenersPerPacket()).mapToObj(i -> "b" + i).toList();
        long funding = scenario.totalShares() * SHARE_MEAN;
        store.write(tx -> {
            tx.insertUser(SENDER, SENDER, now);
            users.forEach(u -> tx.insertUser(u, u, now));
            tx.insertGroup(GROUP, GROUP, null, now);
            tx.addMembers(GROUP, users);
            tx.addMembers(GROUP, List.of(SENDER));
            tx.move(Transfer.deposit("bench-funding", SENDER, funding, now), -Limits.DEFAULT.maxMoneySupply());
            return null;
        });
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < scenario.shareCounts().size(); i++) {
            int count = scenario.shareCounts().get(i);
            long total = count * SHARE_MEAN;
            long id = PacketIds.compose(now, i % shards, i / shards);
            PacketOrder order = new PacketOrder(PacketKind.GROUP_LUCKY, SENDER, GROUP, null, "bench", total, count, false,
                    PayMethod.BALANCE);
            long[] shares = Splits.lucky(total, count, 1, Limits.DEFAULT.maxShare(), false, random);
            packets.add(PacketRules.create(id, order, shares, now, Duration.ofHours(24)));
            packetIds.add(id);
            for (int u = 0; u < scenario.openersFor(count); u++) {
                plan.add(new PlannedOpen(id, users.get(u)));
            }
        }
        for (int from = 0; from < packets.size(); from += 500) {
            List<Packet> chunk = packets.subList(from, Math.min(packets.size(), from + 500));
            store.write(tx -> {
                for (Packet packet : chunk) {
                    if (!tx.insertPaidPacket(packet)) {
                        throw new IllegalStateException("fixture sender underfunded");
                    }
                }
                return null;
            });
        }
        Collections.shuffle(plan, random);
        if (store.balance(Accounts.wallet(SENDER)) != 0) {
            throw new IllegalStateException("fixture funding mismatch");
        }
    }

    /** The planned opens that get a share when the plan is applied in order: each packet's first count openers. */
    List<PlannedOpen> winners(Map<Long, Packet> packets) {
        List<PlannedOpen> winners = new ArrayList<>();
        Map<Long, Integer> taken = new HashMap<>();
        for (PlannedOpen open : plan) {
            if (taken.merge(open.packetId(), 1, Integer::sum) <= packets.get(open.packetId()).count()) {
                winners.add(open);
            }
        }
        return winners;
    }
}
