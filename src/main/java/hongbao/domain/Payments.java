package hongbao.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The rules of a packet paid through a third-party provider. pay_status goes 0 (unpaid) → 2 (the sender's app says
 * paid: claims may be made but stay uncredited) → 1 (the provider's signed notification: the money is in escrow
 * and the claims get credited). A failure notification, or no notification within the payment timeout, cancels
 * the packet instead and voids its claims; money that arrives after that is owed back, never kept.
 */
public final class Payments {
    private static final String ID_PREFIX = "hb";

    private Payments() {
    }

    /** The payment id the provider is given for a packet (its out_trade_no). */
    public static String paymentId(long packetId) {
        return ID_PREFIX + packetId;
    }

    /** The packet a payment id belongs to; empty when the id is not one of ours. */
    public static Optional<Long> packetIdOf(String paymentId) {
        if (paymentId == null || !paymentId.startsWith(ID_PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(PacketIds.parse(paymentId.substring(ID_PREFIX.length())));
        } catch (Rejection notAnId) {
            return Optional.empty();
        }
    }

    /** A new packet to be paid by the provider: nothing is debited, and nobody can open it yet. */
    public static Packet awaitingPayment(Packet created) {
        return created.withPayment(PacketStatus.UNPAID, PayStatus.UNPAID);
    }

    /** The sender's app got the provider's synchronous "paid": the packet opens to claims, uncredited. */
    public static PaymentStep clientConfirm(Packet packet, String userId) {
        if (!userId.equals(packet.senderId())) {
            throw new Rejection(ErrorCode.FORBIDDEN, "only the sender confirms the payment of a packet");
        }
        if (packet.status() == PacketStatus.CANCELLED) {
            throw new Rejection(ErrorCode.NOT_PAYABLE, "this packet's payment was cancelled");
        }
        if (packet.payStatus() != PayStatus.UNPAID) {
            return PaymentStep.unchanged(PaymentStep.Outcome.DUPLICATE);
        }
        Packet after = packet.withPayment(PacketStatus.ACTIVE, PayStatus.CLIENT_CONFIRMED);
        return new PaymentStep(Optional.of(after), Optional.empty(), false, Optional.empty(),
                PaymentStep.Outcome.CLIENT_CONFIRMED);
    }

    /** Applies a verified notification. A wrong amount is refused and changes nothing, whatever the state. */
    public static PaymentStep notify(Packet packet, PaymentNotice notice, Instant now) {
        if (notice.amount() != packet.total()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "amount " + notice.amount() + " does not match payment "
                    + notice.paymentId() + " of " + packet.total() + " fen");
        }
        boolean paid = packet.payStatus() == PayStatus.SERVER_CONFIRMED;
        boolean cancelled = packet.status() == PacketStatus.CANCELLED;
        if (!notice.success()) {
            return paid || cancelled ? PaymentStep.unchanged(PaymentStep.Outcome.DUPLICATE) : cancel(packet);
        }
        if (paid) {
            return PaymentStep.unchanged(PaymentStep.Outcome.DUPLICATE);
        }
        if (cancelled) {
            return new PaymentStep(Optional.empty(), Optional.empty(), false,
                    Optional.of("paid after the payment was cancelled (provider transaction "
                            + notice.providerTransactionId() + ")"), PaymentStep.Outcome.REFUND_DUE);
        }
        PacketStatus status = packet.status() == PacketStatus.UNPAID ? PacketStatus.ACTIVE : packet.status();
        Packet after = packet.withPayment(status, PayStatus.SERVER_CONFIRMED);
        return new PaymentStep(Optional.of(after), Optional.of(Transfer.payment(packet, notice.paymentId(), now)),
                packet.openedCount() > 0, Optional.empty(), PaymentStep.Outcome.PAID);
    }

    /** No notification within the timeout: a packet whose money never arrived is cancelled. */
    public static Optional<PaymentStep> timeout(Packet packet, Instant now, Duration paymentTimeout) {
        if (!awaitsPayment(packet) || now.isBefore(packet.createdAt().plus(paymentTimeout))) {
            return Optional.empty();
        }
        return Optional.of(cancel(packet));
    }

    /** Still waiting for the provider's money, and not given up on. */
    public static boolean awaitsPayment(Packet packet) {
        return packet.payStatus() != PayStatus.SERVER_CONFIRMED && packet.status() != PacketStatus.CANCELLED;
    }

    private static PaymentStep cancel(Packet packet) {
        Packet after = packet.withPayment(PacketStatus.CANCELLED, packet.payStatus());
        return new PaymentStep(Optional.of(after), Optional.empty(), false, Optional.empty(), PaymentStep.Outcome.CANCELLED);
    }
}
