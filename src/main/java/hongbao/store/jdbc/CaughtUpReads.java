package hongbao.store.jdbc;

import hongbao.domain.AuditFacts;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Merchant;
import hongbao.domain.Records;
import hongbao.domain.RedpackBill;
import hongbao.store.directory.DirectoryChanges;
import hongbao.store.directory.DirectoryFeed;
import hongbao.store.directory.DirectoryReads;
import hongbao.store.directory.Group;
import hongbao.store.directory.User;
import hongbao.store.ledger.LedgerReads;
import hongbao.store.ledger.WalletEntry;
import hongbao.store.merchants.CampaignReads;
import hongbao.store.merchants.CampaignTotals;
import hongbao.store.merchants.MerchantReads;
import hongbao.store.merchants.OpenidBinding;
import hongbao.store.packets.PacketReads;
import hongbao.store.packets.StoredPacket;
import hongbao.store.payments.PaymentReads;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.payments.RefundDue;
import hongbao.store.records.ReceivedClaim;
import hongbao.store.records.RecordReads;
import hongbao.store.records.RecordTotals;
import hongbao.store.records.StoredAnswer;
import hongbao.store.sql.CampaignSql;
import hongbao.store.sql.DirectorySql;
import hongbao.store.sql.LedgerSql;
import hongbao.store.sql.MerchantSql;
import hongbao.store.sql.PacketSql;
import hongbao.store.sql.PaymentSql;
import hongbao.store.sql.RecordSql;
import hongbao.store.sql.SqlReader;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read ports, each answered by its aggregate's SQL ({@link PacketSql}, {@link LedgerSql}, ...), catching up on the
 * journal first where a read must see every acknowledged open.
 */
abstract class CaughtUpReads implements DirectoryReads, LedgerReads, PacketReads, RecordReads, PaymentReads, MerchantReads,
        CampaignReads {
    /** The readers' pool, for the adapter's own reads (its marks, a ping). */
    final SqlReader reader;
    private final DirectorySql directory;
    private final PacketSql packets;
    private final LedgerSql ledger;
    private final RecordSql records;
    private final PaymentSql payments;
    private final MerchantSql merchants;
    private final CampaignSql campaigns;

    CaughtUpReads(SqlReader reader, DirectoryFeed directoryFeed) {
        this.reader = reader;
        this.directory = new DirectorySql(reader, directoryFeed);
        this.packets = new PacketSql(reader);
        this.ledger = new LedgerSql(reader);
        this.records = new RecordSql(reader, packets);
        this.payments = new PaymentSql(reader);
        this.merchants = new MerchantSql(reader);
        this.campaigns = new CampaignSql(reader);
    }

    /**
     * Brings the derived tables up to date before a read that must see what every acknowledged open did; reads that
     * need not (directory, merchants, lists of ids a job pages through) skip it.
     */
    abstract void catchUp();

    /** A packet as the tables hold it now, without catching up: what the journal's recovery compares against. */
    java.util.Optional<StoredPacket> packetAsDerived(long packetId) {
        return packets.packet(packetId);
    }

    @Override
    public List<User> users(Collection<String> userIds) {
        return directory.users(userIds);
    }

    @Override
    public List<User> firstUsers(int limit) {
        return directory.firstUsers(limit);
    }

    @Override
    public Optional<Group> group(String groupId) {
        return directory.group(groupId);
    }

    @Override
    public List<String> groupIdsOf(String userId) {
        return directory.groupIdsOf(userId);
    }

    @Override
    public DirectoryChanges directoryChanges() {
        return directory.directoryChanges();
    }

    @Override
    public Optional<StoredPacket> packet(long packetId) {
        catchUp();
        return packets.packet(packetId);
    }

    @Override
    public List<StoredPacket> packetsWithIds(Collection<Long> packetIds) {
        catchUp();
        return packets.packetsWithIds(packetIds);
    }

    @Override
    public List<StoredPacket> livePackets() {
        catchUp();
        return packets.livePackets();
    }

    @Override
    public List<Long> dueForExpiry(Instant now, int limit) {
        return packets.dueForExpiry(now, limit);
    }

    @Override
    public long balance(String account) {
        catchUp();
        return ledger.balance(account);
    }

    @Override
    public List<WalletEntry> walletEntries(String userId, Long beforeSeq, int limit) {
        catchUp();
        return ledger.walletEntries(userId, beforeSeq, limit);
    }

    @Override
    public List<StoredPacket> groupPackets(String groupId, Long beforePacketId, int limit) {
        catchUp();
        return packets.groupPackets(groupId, beforePacketId, limit);
    }

    @Override
    public List<StoredPacket> packetsTo(String userId, Long beforePacketId, int limit) {
        catchUp();
        return packets.packetsTo(userId, beforePacketId, limit);
    }

    @Override
    public List<StoredPacket> packetsBetween(String userId, String otherId, Long beforePacketId, int limit) {
        catchUp();
        return packets.packetsBetween(userId, otherId, beforePacketId, limit);
    }

    @Override
    public List<ReceivedClaim> receivedClaims(String userId, Instant from, Instant until, Records.ReceivedCursor before,
            int limit) {
        catchUp();
        return records.receivedClaims(userId, from, until, before, limit);
    }

    @Override
    public List<StoredPacket> sentPackets(String senderId, Instant from, Instant until, Long beforePacketId, int limit) {
        catchUp();
        return records.sentPackets(senderId, from, until, beforePacketId, limit);
    }

    @Override
    public RecordTotals sentTotals(String senderId, Instant from, Instant until) {
        catchUp();
        return records.sentTotals(senderId, from, until);
    }

    @Override
    public Optional<StoredAnswer> answer(String scope, String key) {
        return records.answer(scope, key);
    }

    @Override
    public List<ReconcileJob> dueJobs(Instant now, int limit) {
        return payments.dueJobs(now, limit);
    }

    @Override
    public List<Long> awaitingPaymentSince(Instant cutoff, int limit) {
        return payments.awaitingPaymentSince(cutoff, limit);
    }

    @Override
    public long countAwaitingPayment() {
        return payments.countAwaitingPayment();
    }

    @Override
    public long countRefundsDue() {
        return payments.countRefundsDue();
    }

    @Override
    public List<RefundDue> refundsDue(int limit) {
        return payments.refundsDue(limit);
    }

    @Override
    public List<CrossSetCredit> outbox(int limit) {
        catchUp();
        return ledger.outbox(limit);
    }

    @Override
    public ClearingPosition clearingPosition() {
        catchUp();
        return ledger.clearingPosition();
    }

    @Override
    public AuditFacts auditFacts() {
        catchUp();
        return records.auditFacts();
    }

    @Override
    public List<Merchant> merchants() {
        return merchants.merchants();
    }

    @Override
    public List<OpenidBinding> openidBindings() {
        return merchants.openidBindings();
    }

    @Override
    public Optional<RedpackBill> bill(String mchId, String billno) {
        return merchants.bill(mchId, billno);
    }

    @Override
    public Map<Long, String> sendNames(Collection<Long> packetIds) {
        return merchants.sendNames(packetIds);
    }

    @Override
    public long lastPacketId() {
        return packets.lastPacketId();
    }

    @Override
    public Optional<Instant> transferTime(String transferId) {
        catchUp();
        return ledger.transferTime(transferId);
    }

    @Override
    public Optional<Campaign> campaign(String mchId, String campaignId) {
        return campaigns.campaign(mchId, campaignId);
    }

    @Override
    public CampaignTotals campaignTotals(String mchId, String campaignId) {
        catchUp();
        return campaigns.campaignTotals(mchId, campaignId);
    }

    @Override
    public List<CampaignWin> campaignWins(String mchId, String campaignId, String afterUserId, int limit) {
        return campaigns.campaignWins(mchId, campaignId, afterUserId, limit);
    }

    @Override
    public List<Campaign> campaignsWithPendingWins() {
        return campaigns.campaignsWithPendingWins();
    }

    @Override
    public List<CampaignWin> pendingWins(String mchId, String campaignId, int limit) {
        return campaigns.pendingWins(mchId, campaignId, limit);
    }
}
