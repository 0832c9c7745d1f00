package hongbao.app;

import hongbao.domain.Records;
import hongbao.store.ReceivedClaim;
import hongbao.store.RecordTotals;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.StoredPacket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** 红包记录: the packets a user received or sent in a year, page by page, and the year's totals. */
public final class RecordService {
    /** Claims read at once while counting a year's best luck: each brings its packet's claims (at most maxCount). */
    static final int BEST_LUCK_PAGE = 200;

    private final StoreSets sets;
    private final Clock clock;

    public RecordService(StoreSets sets, Clock clock) {
        this.sets = sets;
        this.clock = clock;
    }

    /** This year on the service's (UTC) calendar: the year a client gets when it names none. */
    public int currentYear() {
        return clock.instant().atZone(ZoneOffset.UTC).getYear();
    }

    public List<Records.Received> received(String userId, int year, Records.ReceivedCursor before, int limit) {
        return sets.receivedClaims(userId, Records.yearStart(year), Records.yearStart(year + 1), before, limit).stream()
                .map(r -> Records.received(r.packet().packet(), r.packet().claims(), userId).orElseThrow())
                .toList();
    }

    public List<Records.Sent> sent(String userId, int year, Long before, int limit) {
        return sets.sentPackets(userId, Records.yearStart(year), Records.yearStart(year + 1), before, limit).stream()
                .map(StoredPacket::packet)
                .map(Records::sent)
                .toList();
    }

    /**
     * Count and sum are one index range per SET. Best luck needs each claim's packet: every claim of the year is read
     * with its packet's claims, {@link #BEST_LUCK_PAGE} at a time, so the cost grows with the year's claims times
     * their packets' share counts (at most maxCount each), and memory stays one page.
     */
    public Records.ReceivedSummary receivedSummary(String userId, int year) {
        Instant from = Records.yearStart(year);
        Instant until = Records.yearStart(year + 1);
        RecordTotals totals = sets.receivedTotals(userId, from, until);
        long best = 0;
        for (Store store : sets.all()) {
            Records.ReceivedCursor cursor = null;
            List<ReceivedClaim> page;
            do {
                page = store.receivedClaims(userId, from, until, cursor, BEST_LUCK_PAGE);
                for (ReceivedClaim r : page) {
                    if (Records.isBestLuck(r.packet().packet(), r.packet().claims(), userId)) {
                        best++;
                    }
                }
                if (!page.isEmpty()) {
                    ReceivedClaim last = page.getLast();
                    cursor = new Records.ReceivedCursor(last.claim().claimedAt().toEpochMilli(), last.claim().packetId());
                }
            } while (page.size() == BEST_LUCK_PAGE);
        }
        return new Records.ReceivedSummary(year, totals.count(), totals.amount(), best);
    }

    public Records.SentSummary sentSummary(String userId, int year) {
        RecordTotals totals = sets.sentTotals(userId, Records.yearStart(year), Records.yearStart(year + 1));
        return new Records.SentSummary(year, totals.count(), totals.amount());
    }
}
