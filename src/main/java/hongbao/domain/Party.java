package hongbao.domain;

import java.util.Optional;

/**
 * The other side of a wallet movement, as a 零钱明细 line names it (微信红包-来自Alice, 发出红包-家人群): who sent the
 * packet a claim came from, or where a sent (or refunded) packet went. Deposits and withdrawals have none: their other
 * side is the user's own bank.
 */
public record Party(Kind kind, String id) {
    public enum Kind {
        USER,
        GROUP,
        /** A merchant's wallet: its id is internal, users read the packet's send_name. */
        MERCHANT
    }

    public static Optional<Party> of(TransferKind transfer, Packet packet) {
        return switch (transfer) {
            case CLAIM -> Optional.of(Merchant.isWalletUserId(packet.senderId())
                    ? new Party(Kind.MERCHANT, packet.senderId()) : new Party(Kind.USER, packet.senderId()));
            case SEND, REFUND, PAYMENT -> Optional.of(packet.groupId() != null ? new Party(Kind.GROUP, packet.groupId())
                    : new Party(Kind.USER, packet.toUserId()));
            case DEPOSIT, WITHDRAWAL -> Optional.empty();
        };
    }
}
