package hongbao.app;

import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.ErrorCode;
import hongbao.domain.Limits;
import hongbao.domain.Merchant;
import hongbao.domain.MerchantLimits;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PayMethod;
import hongbao.domain.Rejection;
import hongbao.store.Failpoint;
import hongbao.engine.PendingAnswer;
import hongbao.store.records.IdempotencySlot;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.records.StoredAnswer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays campaign wins: takes each campaign's pending wins in batches, sends each winner a personal packet from the
 * merchant's wallet, then marks the batch paid. A packet's transaction also stores an answer keyed by the win
 * (campaign scope, winner's id), so after a crash between the packets and the marks the next run finds those answers
 * and only marks the wins: nobody is paid twice. The budget was reserved win by win, so payments stop exactly at it.
 * One dispatcher runs per service (its runs never overlap); several nodes must not dispatch the same data.
 */
public final class CampaignDispatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CampaignDispatcher.class);

    private final StoreSets sets;
    private final MerchantDirectory merchants;
    private final PacketService packets;
    private final Clock clock;
    private final Limits packetLimits;
    private final int batchSize;
    private final Supplier<ExecutorService> senders;

    public CampaignDispatcher(StoreSets sets, MerchantDirectory merchants, PacketService packets, Clock clock,
            MerchantLimits limits, Limits serviceLimits, int batchSize) {
        this(sets, merchants, packets, clock, limits, serviceLimits, batchSize, Executors::newVirtualThreadPerTaskExecutor);
    }

    /** @param senders runs a batch's sends; the service sends them at once, a simulation one after another on its thread */
    public CampaignDispatcher(StoreSets sets, MerchantDirectory merchants, PacketService packets, Clock clock,
            MerchantLimits limits, Limits serviceLimits, int batchSize, Supplier<ExecutorService> senders) {
        this.senders = senders;
        this.sets = sets;
        this.merchants = merchants;
        this.packets = packets;
        this.clock = clock;
        this.packetLimits = limits.packetLimits(serviceLimits);
        this.batchSize = batchSize;
    }

    @Override
    public void run() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log it and let the next tick retry.
            log.error("campaign dispatch failed; the next run retries", e);
        }
    }

    /**
     * Pays every pending win it can now, batch after batch; a campaign whose merchant cannot pay (its wallet is short)
     * waits for the next run. Returns how many wins were paid.
     */
    public synchronized int dispatch() {
        int paid = 0;
        for (Store store : sets.owned()) {
            for (Campaign campaign : store.campaignsWithPendingWins()) {
                paid += dispatch(store, campaign);
            }
        }
        return paid;
    }

    private int dispatch(Store store, Campaign campaign) {
        Optional<Merchant> merchant = merchants.merchant(campaign.mchId());
        if (merchant.isEmpty()) {
            log.error("campaign {} of unknown merchant {} has pending wins", campaign.campaignId(), campaign.mchId());
            return 0;
        }
        int paid = 0;
        while (true) {
            List<CampaignWin> batch = store.pendingWins(campaign.mchId(), campaign.campaignId(), batchSize);
            int paidNow = payBatch(store, merchant.get(), campaign, batch);
            paid += paidNow;
            if (paidNow < batch.size() || batch.size() < batchSize) {
                return paid;
            }
        }
    }

    /** Sends the batch's packets together (they commit in the same group commits), then marks them paid at once. */
    private int payBatch(Store store, Merchant merchant, Campaign campaign, List<CampaignWin> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<Future<OptionalLong>> sends = new ArrayList<>(batch.size());
        try (ExecutorService running = senders.get()) {
            for (CampaignWin win : batch) {
                sends.add(running.submit(() -> pay(store, merchant, campaign, win)));
            }
        }
        List<CampaignWin> paid = new ArrayList<>();
        List<Long> packetIds = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            OptionalLong packetId = outcome(sends.get(i));
            if (packetId.isPresent()) {
                paid.add(batch.get(i));
                packetIds.add(packetId.getAsLong());
            }
        }
        Failpoint.hit(Failpoint.CAMPAIGN_BATCH_SENT);
        if (!paid.isEmpty()) {
            store.write(tx -> {
                for (int i = 0; i < paid.size(); i++) {
                    tx.markWinPaid(paid.get(i), packetIds.get(i), clock.instant());
                }
                return null;
            });
        }
        if (paid.size() < batch.size()) {
            log.warn("campaign {} of merchant {}: {} of {} wins could not be paid now; the next run retries",
                    campaign.campaignId(), campaign.mchId(), batch.size() - paid.size(), batch.size());
        }
        return paid.size();
    }

    /** The win's packet: the one committed before (found by its stored answer) or a new one. Empty if it failed. */
    private OptionalLong pay(Store store, Merchant merchant, Campaign campaign, CampaignWin win) {
        String scope = Campaign.answerScope(campaign.mchId(), campaign.campaignId());
        String fingerprint = "win " + win.amount();
        Optional<StoredAnswer> sent = store.answer(scope, win.userId());
        if (sent.isPresent()) {
            if (!sent.get().requestHash().equals(fingerprint)) {
                throw new IllegalStateException("the packet of " + win.userId() + " in " + scope + " was for another amount");
            }
            return OptionalLong.of(Long.parseLong(sent.get().body()));
        }
        PacketOrder order = new PacketOrder(PacketKind.PERSONAL, merchant.walletUserId(), null, win.userId(),
                campaign.wishing(), win.amount(), 1, false, PayMethod.BALANCE);
        Packet packet = packets.prepareMerchantPacket(order, packetLimits);
        // The answer is the packet id: all a resumed run needs to mark the win.
        PendingAnswer answer = new PendingAnswer(new IdempotencySlot(scope, win.userId(), fingerprint),
                p -> new StoredAnswer(fingerprint, 201, Long.toString(p.id())));
        try {
            return OptionalLong.of(packets.sendPrepared(packet, Optional.of(answer)).id());
        } catch (Rejection refused) {
            if (refused.code() == ErrorCode.INSUFFICIENT_BALANCE || refused.code() == ErrorCode.BUSY
                    || refused.code() == ErrorCode.UNAVAILABLE || refused.code() == ErrorCode.OUTCOME_UNKNOWN) {
                return OptionalLong.empty();
            }
            throw refused;
        }
    }

    private static OptionalLong outcome(Future<OptionalLong> send) {
        try {
            return send.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while paying a campaign batch", e);
        }
    }
}
