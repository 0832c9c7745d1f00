package hongbao.store.records;

import hongbao.domain.AuditFacts;
import hongbao.domain.Records;
import hongbao.store.packets.StoredPacket;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A user's records (claims received, packets sent), remembered answers, and the facts the audit checks. */
public interface RecordReads {
    /**
     * The user's claims made in [from, until), newest first (claim time, then packet id), strictly before the cursor
     * when given; each with its packet and that packet's claims (at most its share count).
     */
    List<ReceivedClaim> receivedClaims(String userId, Instant from, Instant until, Records.ReceivedCursor before, int limit);

    /**
     * The sent records ({@link Records#SENT_STATUSES}) of packets the user created in [from, until), newest first,
     * strictly before the cursor (a packet id) when given.
     */
    List<StoredPacket> sentPackets(String senderId, Instant from, Instant until, Long beforePacketId, int limit);

    /** How many sent records the user created in [from, until) and their totals' sum. */
    RecordTotals sentTotals(String senderId, Instant from, Instant until);

    Optional<StoredAnswer> answer(String scope, String key);

    AuditFacts auditFacts();
}
