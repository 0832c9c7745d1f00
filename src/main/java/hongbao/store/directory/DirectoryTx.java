package hongbao.store.directory;

import java.time.Instant;
import java.util.Collection;

/** Writes to users, groups and memberships inside one transaction. */
public interface DirectoryTx {
    /** Creates the user and their wallet; false if the user id exists already. */
    boolean insertUser(String userId, String name, Instant at);

    /** False if the group id exists already. {@code ownerId} is null for a group without an owner. */
    boolean insertGroup(String groupId, String name, String ownerId, Instant at);

    void addMembers(String groupId, Collection<String> userIds);

    void removeMember(String groupId, String userId);
}
