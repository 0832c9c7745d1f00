package hongbao.store;

import hongbao.domain.AuditFacts;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.PacketRules;
import hongbao.domain.Records;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The port to durable state. Writes happen in {@link #write}: one transaction, committed durably before it
 * returns, rolled back entirely if anything in it throws.
 */
public interface Store extends AutoCloseable {

    /** A write of this SET's owner; on a node that does not own the SET it throws {@link NotOwnedHere}. */
    <T> T write(Function<WriteTx, T> work);

    /**
     * A write any node may make to this SET: row-locked and commutative with the owner's work (directory rows, bank
     * references, remembered answers, credits arriving from other SETs). On the owner it is {@link #write}.
     */
    <T> T writeShared(Function<WriteTx, T> work);

    /**
     * Makes a batch of opens durable, committed before it returns, as appended journal entries. Claims, credits,
     * balances and packet progress are derived from them later, off the answer's path; every read and every
     * {@link #write} sees them as if they were derived already.
     */
    void journalOpens(List<PacketRules.Opened> opens);

    /**
     * Derives whatever the journal holds that is not yet derived, and trims the journal once enough entries are
     * derived; returns how many entries were pending when it began (0: none, and nothing was derived).
     */
    int deriveJournal();

    /** Journal entries not yet derived. */
    int journalBacklog();

    /** Those of the users that exist in this SET; any number of ids (they are asked in chunks). */
    List<User> users(Collection<String> userIds);

    /** The first users of this SET in the order of their ids (the database's collation). */
    List<User> firstUsers(int limit);

    /** A group with its members, if this SET holds it. */
    Optional<Group> group(String groupId);

    /** The ids of this SET's groups the user belongs to, in order: one range of the memberships-by-user index. */
    List<String> groupIdsOf(String userId);

    /** Changes to this SET's users, groups and memberships committed from now on, by this process or another. */
    DirectoryChanges directoryChanges();

    Optional<StoredPacket> packet(long packetId);

    /** Those of these packets that this SET holds, with their claims, in no particular order. */
    List<StoredPacket> packetsWithIds(Collection<Long> packetIds);

    /** The newest packet id stored, 0 if none: new ids must come after it. */
    long lastPacketId();

    /** Active packets with their claims, to rebuild the engine's memory on start. */
    List<StoredPacket> livePackets();

    List<Long> dueForExpiry(Instant now, int limit);

    long balance(String account);

    /** A user's wallet movements, newest first, strictly before the cursor (a transfer sequence) when given. */
    List<WalletEntry> walletEntries(String userId, Long beforeSeq, int limit);

    /** A group's packets, newest first, strictly before the cursor (a packet id) when given. */
    List<StoredPacket> groupPackets(String groupId, Long beforePacketId, int limit);

    /** Personal packets addressed to a user, newest first, strictly before the cursor (a packet id) when given. */
    List<StoredPacket> packetsTo(String userId, Long beforePacketId, int limit);

    /**
     * Personal packets between two users, either way (the 1:1 chat), newest first, strictly before the cursor (a
     * packet id) when given.
     */
    List<StoredPacket> packetsBetween(String userId, String otherId, Long beforePacketId, int limit);

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

    /** Reconciler passes due by now, earliest first. */
    List<ReconcileJob> dueJobs(Instant now, int limit);

    /** Packets still waiting for their provider's money that were created at or before the cutoff. */
    List<Long> awaitingPaymentSince(Instant cutoff, int limit);

    /** How many packets still wait for their provider's money (a count over the packets table: poll it, not per scrape). */
    long countAwaitingPayment();

    /** How many payments are owed back to payers. */
    long countRefundsDue();

    /** Payments owed back to payers, newest first. */
    List<RefundDue> refundsDue(int limit);

    /** The oldest credits waiting in this SET's outbox for wallets in other SETs. */
    List<CrossSetCredit> outbox(int limit);

    /** Clearing balances with the other SETs and the outbox's waiting credits; cheap, for the cross-SET audit. */
    ClearingPosition clearingPosition();

    AuditFacts auditFacts();

    /** Merchants of the merchant API (kept in SET 0). */
    List<Merchant> merchants();

    /** Openids bound to users (kept in SET 0). */
    List<OpenidBinding> openidBindings();

    /** A merchant's bill (in the SET of the merchant's wallet). */
    Optional<RedpackBill> bill(String mchId, String billno);

    /** The send_name of the merchant bills that sent these packets (of this SET), by packet id; others are absent. */
    Map<Long, String> sendNames(Collection<Long> packetIds);

    /** When the transfer with this id was applied, if it was. */
    Optional<Instant> transferTime(String transferId);

    Optional<Campaign> campaign(String mchId, String campaignId);

    CampaignTotals campaignTotals(String mchId, String campaignId);

    /** A campaign's wins by user id, strictly after the cursor (a user id) when given. */
    List<CampaignWin> campaignWins(String mchId, String campaignId, String afterUserId, int limit);

    /** Campaigns of this SET with wins whose packet is still to be sent. */
    List<Campaign> campaignsWithPendingWins();

    /** A campaign's wins whose packet is still to be sent, oldest first. */
    List<CampaignWin> pendingWins(String mchId, String campaignId, int limit);

    /** Periodic upkeep, such as creating tomorrow's partitions; idempotent, and a no-op where there is none. */
    void maintain(Instant now);

    /** True when the store answers a trivial query. */
    boolean ping();

    @Override
    void close();
}
