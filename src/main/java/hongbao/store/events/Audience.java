package hongbao.store.events;

import java.util.function.BiPredicate;

/**
 * Whom an event concerns: the packet's sender, its receiver (the opener, a personal packet's addressee, the wallet's
 * owner or the member who left) and its group. Any of them may be null.
 */
public record Audience(String senderId, String receiverId, String groupId) {

    /**
     * True if the user may see the event: they are its sender or receiver, or a member of its group now
     * ({@code isMember}: group id, user id). A user who left a group sees none of its events after leaving.
     */
    public boolean includes(String userId, BiPredicate<String, String> isMember) {
        return userId.equals(senderId) || userId.equals(receiverId)
                || (groupId != null && isMember.test(groupId, userId));
    }
}
