package hongbao.app;

import hongbao.domain.ErrorCode;
import hongbao.domain.PaymentNotice;
import hongbao.domain.PaymentStep;
import hongbao.domain.Payments;
import hongbao.domain.Rejection;
import hongbao.engine.PacketEngine;
import hongbao.store.payments.RefundDue;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Third-party payments: the sender's client confirmation, the provider's notifications, timeouts, refunds owed. */
public final class PaymentService {
    private static final Logger log = LoggerFactory.getLogger(PaymentService.class);
    private static final int SCAN_LIMIT = 1000;

    private final StoreSets sets;
    private final PacketEngine engine;
    private final Clock clock;
    private final Duration timeout;

    public PaymentService(StoreSets sets, PacketEngine engine, Clock clock, Duration timeout) {
        this.sets = sets;
        this.engine = engine;
        this.clock = clock;
        this.timeout = timeout;
    }

    public PaymentStep.Outcome clientConfirm(String userId, long packetId) {
        return engine.pay(packetId, packet -> Payments.clientConfirm(packet, userId));
    }

    /** Applies a notification whose signature has been verified. Unknown payments and wrong amounts are refused. */
    public PaymentStep.Outcome notify(PaymentNotice notice) {
        long packetId = Payments.packetIdOf(notice.paymentId()).orElseThrow(() -> unknown(notice));
        try {
            PaymentStep.Outcome outcome = engine.pay(packetId, packet -> Payments.notify(packet, notice, clock.instant()));
            if (outcome == PaymentStep.Outcome.REFUND_DUE) {
                log.warn("payment {} of {} fen arrived after its packet was cancelled; recorded as a refund due",
                        notice.paymentId(), notice.amount());
            }
            return outcome;
        } catch (Rejection refused) {
            if (refused.code() == ErrorCode.NOT_FOUND) {
                throw unknown(notice);
            }
            log.warn("payment notification refused: {} ({})", refused.getMessage(), notice);
            throw refused;
        }
    }

    /** Cancels packets whose money has not arrived within the timeout; returns how many. */
    public int cancelOverdue() {
        Instant now = clock.instant();
        int cancelled = 0;
        for (Store store : sets.owned()) {
            for (long packetId : store.awaitingPaymentSince(now.minus(timeout), SCAN_LIMIT)) {
                PaymentStep.Outcome outcome = engine.pay(packetId, packet -> Payments.timeout(packet, now, timeout)
                        .orElse(PaymentStep.unchanged(PaymentStep.Outcome.DUPLICATE)));
                if (outcome == PaymentStep.Outcome.CANCELLED) {
                    cancelled++;
                }
            }
        }
        if (cancelled > 0) {
            log.info("cancelled {} packets whose payment did not arrive within {}", cancelled, timeout);
        }
        return cancelled;
    }

    public List<RefundDue> refundsDue(int limit) {
        return sets.all().stream()
                .flatMap(store -> store.refundsDue(limit).stream())
                .sorted(Comparator.comparing(RefundDue::at).reversed())
                .limit(limit)
                .toList();
    }

    private static Rejection unknown(PaymentNotice notice) {
        log.warn("payment notification for an unknown payment: {}", notice);
        return new Rejection(ErrorCode.INVALID_REQUEST, "unknown payment " + notice.paymentId());
    }
}
