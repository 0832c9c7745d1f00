package hongbao.store.directory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Users, groups and memberships as this SET holds them, and the feed of their changes. */
public interface DirectoryReads {
    /** Those of the users that exist in this SET; any number of ids (they are asked in chunks). */
    List<User> users(Collection<String> userIds);

    /** The first users of this SET in the order of their ids (the database's collation). */
    List<User> firstUsers(int limit);

    /** A group with its members, if this SET holds it. */
    Optional<Group> group(String groupId);

    /** The ids of this SET's groups the user belongs to, in order: one range of the memberships-by-user index. */
    List<String> groupIdsOf(String userId);

    /** Changes to this SET's users, groups and memberships committed from now on, by this process or another. */
    DirectoryChanges directoryChanges();
}
