package hongbao.store.sql;

import hongbao.domain.BankReference;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.Claim;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Merchant;
import hongbao.domain.Packet;
import hongbao.domain.RedpackBill;
import hongbao.domain.Transfer;
import hongbao.store.events.EventDraft;
import hongbao.store.WriteTx;
import hongbao.store.directory.DirectoryChange;
import hongbao.store.ledger.RecordedTransfer;
import hongbao.store.merchants.OpenidBinding;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.payments.RefundDue;
import hongbao.store.records.IdempotencySlot;
import hongbao.store.records.StoredAnswer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * One write transaction in plain SQL that SQLite and PostgreSQL both accept: each port's writes go to its aggregate's
 * SQL ({@link LedgerTxSql}, {@link PacketTxSql}, ...), all on one connection and one set of statements.
 */
public final class SqlWriteTx implements WriteTx {
    private final TxStatements st;
    private final LedgerTxSql ledger;
    private final PacketTxSql packets;
    private final DirectoryTxSql directory;
    private final PaymentTxSql payments;
    private final MerchantTxSql merchants;
    private final CampaignTxSql campaigns;
    private final AnswerTxSql answers;
    private final JournalMarksSql marks;
    private final EventTxSql events;

    public SqlWriteTx(Connection connection) {
        this.st = new TxStatements(connection);
        this.ledger = new LedgerTxSql(st);
        this.packets = new PacketTxSql(st);
        this.directory = new DirectoryTxSql(st, ledger);
        this.payments = new PaymentTxSql(st);
        this.merchants = new MerchantTxSql(st);
        this.campaigns = new CampaignTxSql(st);
        this.answers = new AnswerTxSql(st);
        this.marks = new JournalMarksSql(st);
        this.events = new EventTxSql(st);
    }

    @Override
    public boolean insertUser(String userId, String name, Instant at) {
        return directory.insertUser(userId, name, at);
    }

    @Override
    public boolean insertGroup(String groupId, String name, String ownerId, Instant at) {
        return directory.insertGroup(groupId, name, ownerId, at);
    }

    @Override
    public void addMembers(String groupId, Collection<String> userIds) {
        directory.addMembers(groupId, userIds);
    }

    @Override
    public void removeMember(String groupId, String userId) {
        directory.removeMember(groupId, userId);
    }

    @Override
    public BankReference takeBankReference(BankReference movement, Instant at) {
        return ledger.takeBankReference(movement, at);
    }

    @Override
    public Optional<RecordedTransfer> recordedTransfer(String transferId) {
        return ledger.recordedTransfer(transferId);
    }

    @Override
    public boolean move(Transfer transfer, long fromFloor) {
        return ledger.move(transfer, fromFloor);
    }

    @Override
    public void lockAccounts(SortedSet<String> accounts) {
        ledger.lockAccounts(accounts);
    }

    public void claimPlacement(SetPlacement placement) throws SQLException {
        marks.claimPlacement(placement);
    }

    public long lockDerivedThrough() {
        return marks.lockDerivedThrough();
    }

    public void touchJournalMarks() {
        marks.touchJournalMarks();
    }

    public void markDerivedThrough(long op) {
        marks.markDerivedThrough(op);
    }

    public void ensureAccount(String account) throws SQLException {
        ledger.ensureAccount(account);
    }

    @Override
    public void insertPacket(Packet packet) {
        packets.insertPacket(packet);
    }

    @Override
    public void updatePacketProgress(Packet packet) {
        packets.updatePacketProgress(packet);
    }

    @Override
    public void insertClaim(Claim claim) {
        packets.insertClaim(claim);
    }

    @Override
    public void insertClaimCarryingCredit(Claim claim, Transfer credit) {
        packets.insertClaim(claim, ledger.carryInClaim(credit));
    }

    @Override
    public List<Claim> claimsToCredit(long packetId) {
        return packets.claimsToCredit(packetId);
    }

    @Override
    public void markCredited(Claim claim) {
        packets.markCredited(claim);
    }

    @Override
    public void insertJob(ReconcileJob job) {
        payments.insertJob(job);
    }

    @Override
    public void deleteJob(ReconcileJob job) {
        payments.deleteJob(job);
    }

    @Override
    public void insertRefundDue(RefundDue refund) {
        payments.insertRefundDue(refund);
    }

    @Override
    public void insertOutbox(CrossSetCredit credit) {
        ledger.insertOutbox(credit);
    }

    @Override
    public void completeOutbox(CrossSetCredit credit, Instant at) {
        ledger.completeOutbox(credit, at);
    }

    @Override
    public void saveAnswer(IdempotencySlot slot, StoredAnswer answer) {
        answers.saveAnswer(slot, answer);
    }

    @Override
    public boolean insertMerchant(Merchant merchant, Instant at) {
        return merchants.insertMerchant(merchant, at);
    }

    @Override
    public boolean bindOpenid(OpenidBinding binding) {
        return merchants.bindOpenid(binding);
    }

    @Override
    public void saveBill(RedpackBill bill) {
        merchants.saveBill(bill);
    }

    @Override
    public boolean takeDailySend(String mchId, String userId, String day, int limit) {
        return merchants.takeDailySend(mchId, userId, day, limit);
    }

    @Override
    public void returnDailySend(String mchId, String userId, String day) {
        merchants.returnDailySend(mchId, userId, day);
    }

    @Override
    public boolean insertCampaign(Campaign campaign) {
        return campaigns.insertCampaign(campaign);
    }

    @Override
    public Optional<Campaign> lockCampaign(String mchId, String campaignId) {
        return campaigns.lockCampaign(mchId, campaignId);
    }

    @Override
    public Optional<CampaignWin> campaignWin(String mchId, String campaignId, String userId) {
        return campaigns.campaignWin(mchId, campaignId, userId);
    }

    @Override
    public boolean insertWin(CampaignWin win) {
        return campaigns.insertWin(win);
    }

    @Override
    public void markWinPaid(CampaignWin win, long packetId, Instant at) {
        campaigns.markWinPaid(win, packetId, at);
    }

    @Override
    public void appendEvent(EventDraft event) {
        events.appendEvent(event);
    }

    /** The transaction's events into the SET's log: last, just before COMMIT (see {@link EventRows#append}). */
    public void writeEvents() throws SQLException {
        events.write();
    }

    /** For the store's own adapters that write in this transaction (the event log's, SqlEventLog). */
    public Connection connection() {
        return st.connection();
    }

    public void announceDirectoryChanges() throws SQLException {
        directory.announceDirectoryChanges();
    }

    public List<DirectoryChange> directoryChanges() {
        return directory.directoryChanges();
    }

    /** Sends every pending batch; called before commit and before any read that must see them. */
    public void flush() throws SQLException {
        st.flush();
    }

    public void closeStatements() throws SQLException {
        st.closeStatements();
    }
}
