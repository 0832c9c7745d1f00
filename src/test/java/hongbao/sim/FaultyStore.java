package hongbao.sim;

import hongbao.domain.AuditFacts;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Merchant;
import hongbao.domain.PacketRules;
import hongbao.domain.Records;
import hongbao.domain.RedpackBill;
import hongbao.domain.Rejection;
import hongbao.store.merchants.CampaignTotals;
import hongbao.store.directory.DirectoryChanges;
import hongbao.store.directory.Group;
import hongbao.store.records.ReceivedClaim;
import hongbao.store.records.RecordTotals;
import hongbao.store.merchants.OpenidBinding;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.payments.RefundDue;
import hongbao.store.Store;
import hongbao.store.records.StoredAnswer;
import hongbao.store.packets.StoredPacket;
import hongbao.store.directory.User;
import hongbao.store.ledger.WalletEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * The {@link Store} port with faults: a transaction may die at any statement, fail to commit, commit and report a
 * failure, or take long. It wraps the port, not SQL, so whatever sits behind {@link Store#write} (today SQL
 * statements, later a journal and the tables derived from it) is inside what it faults.
 */
final class FaultyStore implements Store {
    private final Store inner;
    private final Faults faults;

    FaultyStore(Store inner, Faults faults) {
        this.inner = inner;
        this.faults = faults;
    }

    @Override
    public <T> T write(Function<hongbao.store.WriteTx, T> work) {
        return faulted(work, inner::write);
    }

    @Override
    public <T> T writeShared(Function<hongbao.store.WriteTx, T> work) {
        return faulted(work, inner::writeShared);
    }

    private <T> T faulted(Function<hongbao.store.WriteTx, T> work,
            Function<Function<hongbao.store.WriteTx, T>, T> write) {
        faults.beforeStatement("begin");
        T result;
        try {
            result = write.apply(tx -> {
                T answer = work.apply(new FaultyWriteTx(tx, faults));
                faults.beforeCommit();
                return answer;
            });
        } catch (Rejection refusal) {
            // A business refusal rolls its transaction back on purpose (a deposit's reference used for another amount).
            throw refusal;
        } catch (RuntimeException failure) {
            faults.failed(failure);
            throw failure;
        }
        faults.afterCommit();
        return result;
    }

    /** Like {@link #write}: a crash before, a commit that fails (nothing appended), a crash or lost reply after. */
    @Override
    public void journalOpens(List<PacketRules.Opened> opens) {
        faults.beforeStatement("journal append");
        try {
            faults.beforeCommit();
            inner.journalOpens(opens);
        } catch (RuntimeException failure) {
            faults.failed(failure);
            throw failure;
        }
        faults.afterCommit();
    }

    @Override
    public int deriveJournal() {
        return derive("derive", inner::deriveJournal);
    }

    @Override
    public int deriveJournalSlice() {
        return derive("derive a slice", inner::deriveJournalSlice);
    }

    /** A derivation under the faults: one that derived something committed, and may lose its reply after that. */
    private int derive(String statement, java.util.function.IntSupplier derivation) {
        faults.beforeStatement(statement);
        int derived;
        try {
            derived = derivation.getAsInt();
        } catch (RuntimeException failure) {
            faults.failed(failure);
            throw failure;
        }
        if (derived > 0) {
            faults.afterCommit();
        }
        return derived;
    }

    @Override
    public void watchDerivationLag(LongConsumer ackToDerivedNanos) {
        inner.watchDerivationLag(ackToDerivedNanos);
    }

    @Override
    public int journalBacklog() {
        return read("journalBacklog", inner::journalBacklog);
    }

    /** A read may derive the journal first (and fail there, as a write would): its failures are judged too. */
    private <T> T read(String what, java.util.function.Supplier<T> query) {
        faults.checkAlive(what);
        try {
            return query.get();
        } catch (RuntimeException failure) {
            faults.failed(failure);
            throw failure;
        }
    }

    @Override
    public long lastPacketId() {
        return read("lastPacketId", inner::lastPacketId);
    }

    @Override
    public List<User> users(Collection<String> userIds) {
        return read("users", () -> inner.users(userIds));
    }

    @Override
    public List<User> firstUsers(int limit) {
        return read("firstUsers", () -> inner.firstUsers(limit));
    }

    @Override
    public Optional<Group> group(String groupId) {
        return read("group", () -> inner.group(groupId));
    }

    @Override
    public List<String> groupIdsOf(String userId) {
        return read("groupIdsOf", () -> inner.groupIdsOf(userId));
    }

    /** Not a read: the feed tells of commits, which the faults already decide. */
    @Override
    public DirectoryChanges directoryChanges() {
        return inner.directoryChanges();
    }

    @Override
    public Optional<StoredPacket> packet(long packetId) {
        return read("packet", () -> inner.packet(packetId));
    }

    @Override
    public List<StoredPacket> packetsWithIds(Collection<Long> packetIds) {
        return read("packetsWithIds", () -> inner.packetsWithIds(packetIds));
    }

    @Override
    public List<StoredPacket> livePackets() {
        return read("livePackets", inner::livePackets);
    }

    @Override
    public List<Long> dueForExpiry(Instant now, int limit) {
        return read("dueForExpiry", () -> inner.dueForExpiry(now, limit));
    }

    @Override
    public long balance(String account) {
        return read("balance", () -> inner.balance(account));
    }

    @Override
    public List<WalletEntry> walletEntries(String userId, Long beforeSeq, int limit) {
        return read("walletEntries", () -> inner.walletEntries(userId, beforeSeq, limit));
    }

    @Override
    public List<StoredPacket> groupPackets(String groupId, Long beforePacketId, int limit) {
        return read("groupPackets", () -> inner.groupPackets(groupId, beforePacketId, limit));
    }

    @Override
    public List<StoredPacket> packetsTo(String userId, Long beforePacketId, int limit) {
        return read("packetsTo", () -> inner.packetsTo(userId, beforePacketId, limit));
    }

    @Override
    public List<StoredPacket> packetsBetween(String userId, String otherId, Long beforePacketId, int limit) {
        return read("packetsBetween", () -> inner.packetsBetween(userId, otherId, beforePacketId, limit));
    }

    @Override
    public List<ReceivedClaim> receivedClaims(String userId, Instant from, Instant until, Records.ReceivedCursor before,
            int limit) {
        return read("receivedClaims", () -> inner.receivedClaims(userId, from, until, before, limit));
    }

    @Override
    public List<StoredPacket> sentPackets(String senderId, Instant from, Instant until, Long beforePacketId, int limit) {
        return read("sentPackets", () -> inner.sentPackets(senderId, from, until, beforePacketId, limit));
    }

    @Override
    public RecordTotals sentTotals(String senderId, Instant from, Instant until) {
        return read("sentTotals", () -> inner.sentTotals(senderId, from, until));
    }

    @Override
    public Optional<StoredAnswer> answer(String scope, String key) {
        return read("answer", () -> inner.answer(scope, key));
    }

    @Override
    public List<ReconcileJob> dueJobs(Instant now, int limit) {
        return read("dueJobs", () -> inner.dueJobs(now, limit));
    }

    @Override
    public List<Long> awaitingPaymentSince(Instant cutoff, int limit) {
        return read("awaitingPaymentSince", () -> inner.awaitingPaymentSince(cutoff, limit));
    }

    @Override
    public long countAwaitingPayment() {
        return read("countAwaitingPayment", inner::countAwaitingPayment);
    }

    @Override
    public long countRefundsDue() {
        return read("countRefundsDue", inner::countRefundsDue);
    }

    @Override
    public List<RefundDue> refundsDue(int limit) {
        return read("refundsDue", () -> inner.refundsDue(limit));
    }

    @Override
    public List<CrossSetCredit> outbox(int limit) {
        return read("outbox", () -> inner.outbox(limit));
    }

    @Override
    public ClearingPosition clearingPosition() {
        return read("clearingPosition", inner::clearingPosition);
    }

    @Override
    public AuditFacts auditFacts() {
        return read("auditFacts", inner::auditFacts);
    }

    @Override
    public List<Merchant> merchants() {
        return read("merchants", inner::merchants);
    }

    @Override
    public List<OpenidBinding> openidBindings() {
        return read("openidBindings", inner::openidBindings);
    }

    @Override
    public Optional<RedpackBill> bill(String mchId, String billno) {
        return read("bill", () -> inner.bill(mchId, billno));
    }

    @Override
    public Map<Long, String> sendNames(Collection<Long> packetIds) {
        return read("sendNames", () -> inner.sendNames(packetIds));
    }

    @Override
    public Optional<Instant> transferTime(String transferId) {
        return read("transferTime", () -> inner.transferTime(transferId));
    }

    @Override
    public Optional<Campaign> campaign(String mchId, String campaignId) {
        return read("campaign", () -> inner.campaign(mchId, campaignId));
    }

    @Override
    public CampaignTotals campaignTotals(String mchId, String campaignId) {
        return read("campaignTotals", () -> inner.campaignTotals(mchId, campaignId));
    }

    @Override
    public List<CampaignWin> campaignWins(String mchId, String campaignId, String afterUserId, int limit) {
        return read("campaignWins", () -> inner.campaignWins(mchId, campaignId, afterUserId, limit));
    }

    @Override
    public List<Campaign> campaignsWithPendingWins() {
        return read("campaignsWithPendingWins", inner::campaignsWithPendingWins);
    }

    @Override
    public List<CampaignWin> pendingWins(String mchId, String campaignId, int limit) {
        return read("pendingWins", () -> inner.pendingWins(mchId, campaignId, limit));
    }

    @Override
    public void maintain(Instant now) {
        faults.checkAlive("maintain");
        inner.maintain(now);
    }

    @Override
    public hongbao.store.events.EventLog events() {
        return inner.events();
    }

    @Override
    public boolean ping() {
        return !faults.dead() && inner.ping();
    }

    @Override
    public void close() {
        inner.close();
    }
}
