package hongbao.domain;

public enum PacketKind {
    /** Exactly one receiver; the sender cannot open it. */
    PERSONAL,
    /** count shares of the same amount. */
    GROUP_EQUAL,
    /** total split at random, once, at send time. */
    GROUP_LUCKY
}
