package hongbao.bench;

import hongbao.domain.Limits;
import hongbao.domain.Packet;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import hongbao.domain.PayMethod;
import hongbao.domain.Splits;
import hongbao.domain.Transfer;
import hongbao.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Old, finished packets with all their claims and transfers, dated {@link #AGE} ago, so that the scale check can
 * measure whether the cost of an open stays flat as history grows (on PostgreSQL they end up in the cold schema).
 */
final class History {
    static final Duration AGE = Duration.ofDays(40);
    private static final int SHARES = 100;
    private static final int USERS = 1_000;
    private static final int PACKETS_PER_COMMIT = 100;

    private History() {
    }

    /** Writes {@code claims} historical claims (rounded up to whole packets of 100 shares). */
    static void load(Store store, long claims, Instant now, int shards) {
        Instant then = now.minus(AGE);
        store.maintain(then);
        List<String> users = IntStream.range(0, USERS).mapToObj(i -> "hist" + i).toList();
        long packets = (claims + SHARES - 1) / SHARES;
        store.write(tx -> {
            users.forEach(u -> tx.insertUser(u, u, then));
            tx.insertUser("hist-sender", "hist-sender", then);
            tx.move(Transfer.deposit("history-funding", "hist-sender", packets * SHARES * Fixture.SHARE_MEAN, then),
                    -Limits.DEFAULT.maxMoneySupply());
            return null;
        });
        SplittableRandom random = new SplittableRandom(40);
        for (long first = 0; first < packets; first += PACKETS_PER_COMMIT) {
            long from = first;
            store.write(tx -> {
                for (long p = from; p < Math.min(packets, from + PACKETS_PER_COMMIT); p++) {
                    Instant at = then.plusMillis(p / 65_536);
                    long total = SHARES * Fixture.SHARE_MEAN;
                    Packet packet = PacketRules.create(PacketIds.compose(at, (int) (p % shards), (int) (p % 65_536)),
                            new PacketOrder(PacketKind.GROUP_LUCKY, "hist-sender", "history", null, "", total, SHARES, false,
                                    PayMethod.BALANCE),
                            Splits.lucky(total, SHARES, 1, Limits.DEFAULT.maxShare(), false, random), at, Duration.ofHours(24));
                    if (!tx.insertPaidPacket(packet)) {
                        throw new IllegalStateException("history sender underfunded");
                    }
                    int offset = random.nextInt(USERS);
                    for (int s = 0; s < SHARES; s++) {
                        PacketRules.Opened opened = (PacketRules.Opened) PacketRules.open(packet,
                                users.get((offset + s) % USERS), false, at, SetLayout.ONE_SET);
                        tx.recordOpen(opened, SetLayout.ONE_SET);
                        packet = opened.after();
                    }
                    tx.updatePacketProgress(packet);
                }
                return null;
            });
        }
        store.maintain(now);
    }
}
