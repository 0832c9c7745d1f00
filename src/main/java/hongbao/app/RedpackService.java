package hongbao.app;

import hongbao.domain.Claim;
import hongbao.domain.ErrorCode;
import hongbao.domain.HbType;
import hongbao.domain.Limits;
import hongbao.domain.Merchant;
import hongbao.domain.MerchantError;
import hongbao.domain.MerchantLimits;
import hongbao.domain.MerchantRefusal;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketOrder;
import hongbao.domain.PayMethod;
import hongbao.domain.RedpackBill;
import hongbao.domain.RedpackOrder;
import hongbao.domain.RedpackRules;
import hongbao.domain.RedpackStatus;
import hongbao.domain.Rejection;
import hongbao.domain.SendRate;
import hongbao.domain.Transfer;
import hongbao.engine.PendingAnswer;
import hongbao.store.records.IdempotencySlot;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import hongbao.store.records.StoredAnswer;
import hongbao.store.packets.StoredPacket;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sendredpack, sendgroupredpack and gethbinfo for a merchant whose request has been authenticated. A bill is recorded
 * (with the user's daily send counted) before its packet is sent, and the packet's transaction stores the answer, so
 * the same mch_billno replays that answer and a retry after a crash finishes the bill instead of paying twice.
 */
public final class RedpackService {
    private static final Logger log = LoggerFactory.getLogger(RedpackService.class);

    private final StoreSets sets;
    private final MerchantDirectory merchants;
    private final AccountService accounts;
    private final PacketService packets;
    private final Clock clock;
    private final MerchantLimits limits;
    private final Limits packetLimits;
    private final KeyedLocks bills = new KeyedLocks();
    private final Map<String, SendRate> rates = new ConcurrentHashMap<>();

    public RedpackService(StoreSets sets, MerchantDirectory merchants, AccountService accounts, PacketService packets,
            Clock clock, MerchantLimits limits, Limits serviceLimits) {
        this.sets = sets;
        this.merchants = merchants;
        this.accounts = accounts;
        this.packets = packets;
        this.clock = clock;
        this.limits = limits;
        this.packetLimits = limits.packetLimits(serviceLimits);
    }

    public MerchantLimits limits() {
        return limits;
    }

    /** Where a merchant's bills keep their answers: one mch_billno namespace for both send APIs, as WeChat has it. */
    public static String answerScope(String mchId) {
        return "merchant:" + mchId + " redpack";
    }

    /**
     * Sends the order's packet from the merchant's wallet, or answers as the first time for a bill already paid.
     * Requests of one bill run one after another: the 2nd of 100 identical ones waits, then replays the 1st's answer.
     *
     * @param requestHash   what makes two requests the same (their signed fields but the nonce and signature)
     * @param successAnswer renders the answer for the sent packet; it is stored in the packet's transaction
     * @return the answer body, first or replayed
     */
    public String send(Merchant merchant, RedpackOrder order, String requestHash, Function<Packet, String> successAnswer) {
        Store store = sets.forUser(merchant.walletUserId());
        try (KeyedLocks.Held held = bills.lock(merchant.mchId() + "\n" + order.billno())) {
            Optional<StoredAnswer> answered = store.answer(answerScope(merchant.mchId()), order.billno());
            if (answered.isPresent()) {
                requireSameRequest(answered.get().requestHash(), requestHash, order);
                return answered.get().body();
            }
            Optional<RedpackBill> earlier = store.bill(merchant.mchId(), order.billno());
            earlier.ifPresent(bill -> requireSameRequest(bill.requestHash(), requestHash, order));
            String userId = merchants.userOf(merchant.wxappid(), order.openid()).orElseThrow(() -> new MerchantRefusal(
                    MerchantError.OPENID_ERROR, "re_openid is not an openid of " + merchant.wxappid() + " bound to a user"));
            if (!rates.computeIfAbsent(merchant.mchId(), m -> new SendRate(limits.sendsPerMinute(), clock.instant()))
                    .tryTake(clock.instant())) {
                throw new MerchantRefusal(MerchantError.FREQ_LIMIT, "more than " + limits.sendsPerMinute()
                        + " sends a minute; retry later with the same mch_billno");
            }
            Packet packet = prepare(merchant, order, userId);
            if (order.type() == HbType.GROUP) {
                ensureFissionGroup(packet.groupId(), order, userId);
            }
            RedpackBill bill = record(store, merchant, order, requestHash, userId, packet.id(), earlier);
            return sendRecorded(store, bill, packet, successAnswer);
        }
    }

    private Packet prepare(Merchant merchant, RedpackOrder order, String userId) {
        PacketOrder packetOrder = order.type() == HbType.NORMAL
                ? new PacketOrder(PacketKind.PERSONAL, merchant.walletUserId(), null, userId, order.wishing(),
                        order.totalAmount(), 1, false, PayMethod.BALANCE)
                : new PacketOrder(PacketKind.GROUP_LUCKY, merchant.walletUserId(), fissionGroupId(merchant, order), null,
                        order.wishing(), order.totalAmount(), order.totalNum(), false, PayMethod.BALANCE);
        try {
            return packets.prepareMerchantPacket(packetOrder, packetLimits);
        } catch (Rejection refused) {
            // RedpackRules checked the same bounds already; this only words a disagreement the WeChat way.
            throw new MerchantRefusal(MerchantError.PARAM_ERROR, refused.getMessage());
        }
    }

    /**
     * Makes the fission packet's group, owned by the receiver, before the bill is recorded: a group left over by a
     * refused attempt is harmless, and a retry of the bill finds it. A group of the bill owned by someone else means
     * the bill was tried before for another receiver.
     */
    private void ensureFissionGroup(String groupId, RedpackOrder order, String userId) {
        String owner;
        try {
            owner = accounts.ensureOwnedGroup(groupId, order.actName(), userId);
        } catch (Rejection refused) {
            throw new MerchantRefusal(MerchantError.PARAM_ERROR, refused.getMessage());
        }
        if (!owner.equals(userId)) {
            throw new MerchantRefusal(MerchantError.FATAL_ERROR, "mch_billno " + order.billno()
                    + " was used before for another re_openid; a new packet needs a new mch_billno");
        }
    }

    /** A fission packet's own group, named by the bill so that a retry of the bill finds the same group. */
    private static String fissionGroupId(Merchant merchant, RedpackOrder order) {
        return "fission." + merchant.mchId() + "." + order.billno();
    }

    /**
     * Records the bill's attempt with this packet, counting the user's daily send unless the bill holds one already
     * (a retry after a cut-off attempt); refused with SENDNUM_LIMIT, writing nothing, when the user has the day's most.
     */
    private RedpackBill record(Store store, Merchant merchant, RedpackOrder order, String requestHash, String userId,
            long packetId, Optional<RedpackBill> earlier) {
        Instant now = clock.instant();
        return store.write(tx -> {
            String quotaDay = earlier.map(RedpackBill::quotaDay).orElse(null);
            if (quotaDay == null) {
                quotaDay = RedpackRules.beijingDay(now);
                if (!tx.takeDailySend(merchant.mchId(), userId, quotaDay, limits.dailySendsPerUser())) {
                    throw new MerchantRefusal(MerchantError.SENDNUM_LIMIT, "the user received " + limits.dailySendsPerUser()
                            + " packets from this merchant today");
                }
            }
            RedpackBill bill = earlier.isPresent() ? earlier.get().retriedAs(packetId, quotaDay)
                    : new RedpackBill(merchant.mchId(), order, requestHash, userId, packetId, quotaDay, null, null, now);
            tx.saveBill(bill);
            return bill;
        });
    }

    private String sendRecorded(Store store, RedpackBill bill, Packet packet, Function<Packet, String> successAnswer) {
        IdempotencySlot slot = new IdempotencySlot(answerScope(bill.mchId()), bill.billno(), bill.requestHash());
        AtomicReference<String> answer = new AtomicReference<>();
        PendingAnswer pending = new PendingAnswer(slot, sent -> {
            answer.set(successAnswer.apply(sent));
            return new StoredAnswer(bill.requestHash(), 200, answer.get());
        });
        try {
            packets.sendPrepared(packet, Optional.of(pending));
            return answer.get();
        } catch (Rejection refused) {
            if (refused.code() == ErrorCode.INSUFFICIENT_BALANCE) {
                String reason = "the merchant's wallet holds less than " + packet.total() + " fen; deposit and retry";
                failed(store, bill, MerchantError.NOTENOUGH, reason);
                throw new MerchantRefusal(MerchantError.NOTENOUGH, reason);
            }
            if (refused.code() == ErrorCode.BUSY || refused.code() == ErrorCode.UNAVAILABLE
                    || refused.code() == ErrorCode.OUTCOME_UNKNOWN) {
                // The bill stays SENDING: its retry finds the packet's answer if the send took, or sends it.
                throw new MerchantRefusal(MerchantError.SYSTEMERROR, refused.getMessage() + "; retry with the same mch_billno");
            }
            throw refused;
        }
    }

    /** The attempt failed for sure: the bill says why and gives the user's daily send back. */
    private static void failed(Store store, RedpackBill bill, MerchantError code, String reason) {
        store.write(tx -> {
            tx.returnDailySend(bill.mchId(), bill.userId(), bill.quotaDay());
            tx.saveBill(new RedpackBill(bill.mchId(), bill.order(), bill.requestHash(), bill.userId(), bill.packetId(), null,
                    code, reason, bill.createdAt()));
            return null;
        });
        log.info("merchant {} bill {} failed: {}", bill.mchId(), bill.billno(), code);
    }

    private static void requireSameRequest(String recorded, String requestHash, RedpackOrder order) {
        if (!recorded.equals(requestHash)) {
            throw new MerchantRefusal(MerchantError.FATAL_ERROR, "mch_billno " + order.billno()
                    + " was used before with other parameters; a new packet needs a new mch_billno");
        }
    }

    /** One receiver of a bill's packet, by the merchant's openid of them (empty if they have none). */
    public record Receiver(String openid, long amount, Instant at) {
    }

    /** gethbinfo's view of a bill. {@code refundedAt} is the refund transfer's time, when there was one. */
    public record BillInfo(RedpackBill bill, RedpackStatus status, Instant sentAt, long refunded, Optional<Instant> refundedAt,
            List<Receiver> receivers) {
    }

    public BillInfo info(Merchant merchant, String billno) {
        Store store = sets.forUser(merchant.walletUserId());
        RedpackBill bill = store.bill(merchant.mchId(), billno).orElseThrow(() -> new MerchantRefusal(
                MerchantError.NOT_FOUND, "no bill " + billno));
        Optional<StoredPacket> stored = sets.forPacket(bill.packetId()).packet(bill.packetId());
        Optional<Packet> packet = stored.map(StoredPacket::packet);
        RedpackStatus status = RedpackStatus.of(bill, packet, clock.instant());
        List<Receiver> receivers = stored.map(StoredPacket::claims).orElse(List.of()).stream()
                .map(claim -> receiver(merchant, claim))
                .toList();
        long refunded = packet.map(Packet::refunded).orElse(0L);
        Optional<Instant> refundedAt = refunded > 0
                ? sets.forPacket(bill.packetId()).transferTime(Transfer.refundId(bill.packetId())) : Optional.empty();
        return new BillInfo(bill, status, packet.map(Packet::createdAt).orElse(bill.createdAt()), refunded, refundedAt,
                receivers);
    }

    private Receiver receiver(Merchant merchant, Claim claim) {
        return new Receiver(merchants.openidOf(merchant.wxappid(), claim.userId()).orElse(""), claim.amount(),
                claim.claimedAt());
    }
}
