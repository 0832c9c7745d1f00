package hongbao.sim;

import hongbao.domain.BankReference;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.Claim;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Merchant;
import hongbao.domain.Packet;
import hongbao.domain.RedpackBill;
import hongbao.domain.Transfer;
import hongbao.store.records.IdempotencySlot;
import hongbao.store.merchants.OpenidBinding;
import hongbao.store.ledger.RecordedTransfer;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.payments.RefundDue;
import hongbao.store.records.StoredAnswer;
import hongbao.store.WriteTx;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;

/**
 * A transaction whose every statement may be the one at which the process dies. The port's default methods
 * (recordOpen, creditLate, ...) are left to run over these statements, so a crash can fall between their parts.
 */
final class FaultyWriteTx implements WriteTx {
    private final WriteTx inner;
    private final Faults faults;

    FaultyWriteTx(WriteTx inner, Faults faults) {
        this.inner = inner;
        this.faults = faults;
    }

    @Override
    public boolean insertUser(String userId, String name, Instant at) {
        faults.beforeStatement("insertUser");
        return inner.insertUser(userId, name, at);
    }

    @Override
    public boolean insertGroup(String groupId, String name, String ownerId, Instant at) {
        faults.beforeStatement("insertGroup");
        return inner.insertGroup(groupId, name, ownerId, at);
    }

    @Override
    public void addMembers(String groupId, Collection<String> userIds) {
        faults.beforeStatement("addMembers");
        inner.addMembers(groupId, userIds);
    }

    @Override
    public void removeMember(String groupId, String userId) {
        faults.beforeStatement("removeMember");
        inner.removeMember(groupId, userId);
    }

    @Override
    public BankReference takeBankReference(BankReference movement, Instant at) {
        faults.beforeStatement("takeBankReference");
        return inner.takeBankReference(movement, at);
    }

    @Override
    public Optional<RecordedTransfer> recordedTransfer(String transferId) {
        faults.beforeStatement("recordedTransfer");
        return inner.recordedTransfer(transferId);
    }

    @Override
    public void lockAccounts(SortedSet<String> accounts) {
        faults.beforeStatement("lockAccounts");
        inner.lockAccounts(accounts);
    }

    @Override
    public boolean move(Transfer transfer, long fromFloor) {
        faults.beforeStatement("move");
        return inner.move(transfer, fromFloor);
    }

    @Override
    public void insertPacket(Packet packet) {
        faults.beforeStatement("insertPacket");
        inner.insertPacket(packet);
    }

    @Override
    public void updatePacketProgress(Packet packet) {
        faults.beforeStatement("updatePacketProgress");
        inner.updatePacketProgress(packet);
    }

    @Override
    public void insertClaim(Claim claim) {
        faults.beforeStatement("insertClaim");
        inner.insertClaim(claim);
    }

    @Override
    public void insertClaimCarryingCredit(Claim claim, Transfer credit) {
        faults.beforeStatement("insertClaimCarryingCredit");
        inner.insertClaimCarryingCredit(claim, credit);
    }

    @Override
    public void saveAnswer(IdempotencySlot slot, StoredAnswer answer) {
        faults.beforeStatement("saveAnswer");
        inner.saveAnswer(slot, answer);
    }

    @Override
    public void appendEvent(hongbao.store.events.EventDraft event) {
        faults.beforeStatement("appendEvent");
        inner.appendEvent(event);
    }

    @Override
    public List<Claim> claimsToCredit(long packetId) {
        faults.beforeStatement("claimsToCredit");
        return inner.claimsToCredit(packetId);
    }

    @Override
    public void markCredited(Claim claim) {
        faults.beforeStatement("markCredited");
        inner.markCredited(claim);
    }

    @Override
    public void insertJob(ReconcileJob job) {
        faults.beforeStatement("insertJob");
        inner.insertJob(job);
    }

    @Override
    public void deleteJob(ReconcileJob job) {
        faults.beforeStatement("deleteJob");
        inner.deleteJob(job);
    }

    @Override
    public void insertRefundDue(RefundDue refund) {
        faults.beforeStatement("insertRefundDue");
        inner.insertRefundDue(refund);
    }

    @Override
    public void insertOutbox(CrossSetCredit credit) {
        faults.beforeStatement("insertOutbox");
        inner.insertOutbox(credit);
    }

    @Override
    public void completeOutbox(CrossSetCredit credit, Instant at) {
        faults.beforeStatement("completeOutbox");
        inner.completeOutbox(credit, at);
    }

    @Override
    public boolean insertMerchant(Merchant merchant, Instant at) {
        faults.beforeStatement("insertMerchant");
        return inner.insertMerchant(merchant, at);
    }

    @Override
    public boolean bindOpenid(OpenidBinding binding) {
        faults.beforeStatement("bindOpenid");
        return inner.bindOpenid(binding);
    }

    @Override
    public void saveBill(RedpackBill bill) {
        faults.beforeStatement("saveBill");
        inner.saveBill(bill);
    }

    @Override
    public boolean takeDailySend(String mchId, String userId, String day, int limit) {
        faults.beforeStatement("takeDailySend");
        return inner.takeDailySend(mchId, userId, day, limit);
    }

    @Override
    public void returnDailySend(String mchId, String userId, String day) {
        faults.beforeStatement("returnDailySend");
        inner.returnDailySend(mchId, userId, day);
    }

    @Override
    public boolean insertCampaign(Campaign campaign) {
        faults.beforeStatement("insertCampaign");
        return inner.insertCampaign(campaign);
    }

    @Override
    public Optional<Campaign> lockCampaign(String mchId, String campaignId) {
        faults.beforeStatement("lockCampaign");
        return inner.lockCampaign(mchId, campaignId);
    }

    @Override
    public Optional<CampaignWin> campaignWin(String mchId, String campaignId, String userId) {
        faults.beforeStatement("campaignWin");
        return inner.campaignWin(mchId, campaignId, userId);
    }

    @Override
    public boolean insertWin(CampaignWin win) {
        faults.beforeStatement("insertWin");
        return inner.insertWin(win);
    }

    @Override
    public void markWinPaid(CampaignWin win, long packetId, Instant at) {
        faults.beforeStatement("markWinPaid");
        inner.markWinPaid(win, packetId, at);
    }
}
