package hongbao.domain;

/** UNPAID → ACTIVE → FINISHED | EXPIRED, or UNPAID → CANCELLED. */
public enum PacketStatus {
    UNPAID,
    ACTIVE,
    FINISHED,
    EXPIRED,
    CANCELLED
}
