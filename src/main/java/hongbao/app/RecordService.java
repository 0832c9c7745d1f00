package hongbao.app;

import hongbao.domain.Records;
import hongbao.store.records.ReceivedClaim;
import hongbao.store.records.RecordTotals;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.packets.StoredPacket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** 红包记录: the packets a user received or sent in a year, page by page, and the year's totals. */
public final class RecordService {
    /** Claims read at once while adding up a year: each brings its packet's claims (at most maxCount). */
    static final int SUMMARY_PAGE = 200;

    private final StoreSets sets;
    private final DisplayNames names;
    private final Clock clock;

    public RecordService(StoreSets sets, Directory directory, Clock clock) {
        this.sets = sets;
        this.names = new DisplayNames(sets, directory);
        this.clock = clock;
    }

    /** This year on the service's (UTC) calendar: the year a client gets when it names none. */
    public int currentYear() {
        return clock.instant().atZone(ZoneOffset.UTC).getYear();
    }

    public List<Records.Received> received(String userId, int year, Records.ReceivedCursor before, int limit) {
        List<ReceivedClaim> page = sets.receivedClaims(userId, Records.yearStart(year), Records.yearStart(year + 1), before,
                limit);
        Map<Long, String> senders = names.senders(page.stream().map(r -> r.packet().packet()).toList());
        return page.stream()
                .map(r -> line(r, userId, senders.get(r.claim().packetId())))
                .toList();
    }

    private static Records.Received line(ReceivedClaim r, String userId, String senderName) {
        return Records.received(r.packet().packet(), r.packet().claims(), userId, senderName).orElseThrow();
    }

    public List<Records.Sent> sent(String userId, int year, Long before, int limit) {
        return sets.sentPackets(userId, Records.yearStart(year), Records.yearStart(year + 1), before, limit).stream()
                .map(StoredPacket::packet)
                .map(Records::sent)
                .toList();
    }

    /**
     * Every claim of the year is read with its packet's claims, {@link #SUMMARY_PAGE} at a time, and added up in
     * {@link Records.ReceivedTally}: whether a claim counts (a cancelled packet's does not) and whether it is best luck
     * both need its packet. The cost grows with the year's claims times their packets' share counts (at most maxCount
     * each), and memory stays one page.
     */
    public Records.ReceivedSummary receivedSummary(String userId, int year) {
        Instant from = Records.yearStart(year);
        Instant until = Records.yearStart(year + 1);
        Records.ReceivedTally tally = new Records.ReceivedTally(year);
        for (Store store : sets.all()) {
            Records.ReceivedCursor cursor = null;
            List<ReceivedClaim> page;
            do {
                page = store.receivedClaims(userId, from, until, cursor, SUMMARY_PAGE);
                for (ReceivedClaim r : page) {
                    tally.add(line(r, userId, null));
                }
                if (!page.isEmpty()) {
                    ReceivedClaim last = page.getLast();
                    cursor = new Records.ReceivedCursor(last.claim().claimedAt().toEpochMilli(), last.claim().packetId());
                }
            } while (page.size() == SUMMARY_PAGE);
        }
        return tally.summary();
    }

    public Records.SentSummary sentSummary(String userId, int year) {
        RecordTotals totals = sets.sentTotals(userId, Records.yearStart(year), Records.yearStart(year + 1));
        return new Records.SentSummary(year, totals.count(), totals.amount());
    }
}
