package hongbao.store.events;

import java.util.Arrays;
import java.util.Optional;

/** What happened; {@link #wireName} is how webhooks, the stream and the operator's configuration spell it. */
public enum EventType {
    PACKET_SENT("packet.sent"),
    PACKET_OPENED("packet.opened"),
    PACKET_CREDITED("packet.credited"),
    PACKET_FINISHED("packet.finished"),
    PACKET_EXPIRED("packet.expired"),
    PACKET_CANCELLED("packet.cancelled"),
    PAYMENT_SETTLED("payment.settled"),
    DEPOSIT("deposit"),
    WITHDRAWAL("withdrawal"),
    GROUP_MEMBER_LEFT("group.member_left");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> ofWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }
}
