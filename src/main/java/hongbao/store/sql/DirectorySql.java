package hongbao.store.sql;

import hongbao.store.directory.DirectoryChanges;
import hongbao.store.directory.DirectoryFeed;
import hongbao.store.directory.DirectoryReads;
import hongbao.store.directory.Group;
import hongbao.store.directory.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The directory's reads in SQL: users, groups and memberships. */
public final class DirectorySql implements DirectoryReads {
    /** Ids asked per statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
    private static final int IDS_PER_READ = 500;
    private final SqlReader reader;
    private final DirectoryFeed directoryFeed;

    public DirectorySql(SqlReader reader, DirectoryFeed directoryFeed) {
        this.reader = reader;
        this.directoryFeed = directoryFeed;
    }

    @Override
    public List<User> users(Collection<String> userIds) {
        List<String> ids = List.copyOf(userIds);
        List<User> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_READ) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_READ));
            found.addAll(reader.query("SELECT user_id, name FROM users WHERE user_id IN ("
                    + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")", st -> {
                        for (int i = 0; i < chunk.size(); i++) {
                            st.setString(i + 1, chunk.get(i));
                        }
                    }, rs -> new User(rs.getString(1), rs.getString(2))));
        }
        return found;
    }

    @Override
    public List<User> firstUsers(int limit) {
        return reader.query("SELECT user_id, name FROM users ORDER BY user_id LIMIT ?", st -> st.setInt(1, limit),
                rs -> new User(rs.getString(1), rs.getString(2)));
    }

    /** One statement, so the group and its members come from one snapshot. */
    @Override
    public Optional<Group> group(String groupId) {
        String[] nameAndOwner = new String[2];
        List<String> members = new ArrayList<>();
        reader.query("SELECT g.name, g.owner_id, m.user_id FROM chat_groups g LEFT JOIN group_members m ON m.group_id = g.group_id "
                + "WHERE g.group_id = ? ORDER BY m.user_id", st -> st.setString(1, groupId), rs -> {
                    nameAndOwner[0] = rs.getString(1);
                    nameAndOwner[1] = rs.getString(2);
                    String member = rs.getString(3);
                    if (member != null) {
                        members.add(member);
                    }
                    return member;
                });
        return nameAndOwner[0] == null ? Optional.empty()
                : Optional.of(new Group(groupId, nameAndOwner[0], members, nameAndOwner[1]));
    }

    @Override
    public List<String> groupIdsOf(String userId) {
        return reader.query("SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id", st -> st.setString(1, userId),
                rs -> rs.getString(1));
    }

    @Override
    public DirectoryChanges directoryChanges() {
        return directoryFeed;
    }
}
