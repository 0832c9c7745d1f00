package hongbao.domain;

/** What a sender asks for, before validation. Nullable fields are those the request may omit. */
public record PacketOrder(
        PacketKind kind,
        String senderId,
        String groupId,
        String toUserId,
        String greeting,
        long total,
        int count,
        boolean distinct,
        PayMethod payMethod) {
}
