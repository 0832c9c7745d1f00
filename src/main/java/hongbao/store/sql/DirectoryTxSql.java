package hongbao.store.sql;

import hongbao.domain.Accounts;
import hongbao.store.directory.DirectoryChange;
import hongbao.store.directory.DirectoryTx;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import static hongbao.store.sql.TxStatements.sql;

/** Users', groups' and memberships' writes in SQL, and the changes they make, told to other processes at commit. */
public final class DirectoryTxSql implements DirectoryTx {
    /** The PostgreSQL channel the changes are announced on, for the other processes on the SET's database. */
    public static final String CHANNEL = "hongbao_directory";
    private final TxStatements st;
    private final LedgerTxSql ledger;
    /** Users and groups this transaction changed: announced to other processes at commit, to this one after it. */
    private final Set<DirectoryChange> directoryChanges = new LinkedHashSet<>();

    public DirectoryTxSql(TxStatements st, LedgerTxSql ledger) {
        this.st = st;
        this.ledger = ledger;
    }

    public List<DirectoryChange> directoryChanges() {
        return List.copyOf(directoryChanges);
    }

    @Override
    public boolean insertUser(String userId, String name, Instant at) {
        return sql(() -> {
            PreparedStatement insert = st.prepare("INSERT INTO users (user_id, name, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, userId);
            insert.setString(2, name);
            insert.setLong(3, at.toEpochMilli());
            boolean created = insert.executeUpdate() == 1;
            if (created) {
                ledger.ensureAccount(Accounts.wallet(userId));
                directoryChanges.add(DirectoryChange.user(userId));
            }
            return created;
        });
    }

    @Override
    public boolean insertGroup(String groupId, String name, String ownerId, Instant at) {
        return sql(() -> {
            PreparedStatement insert = st.prepare("INSERT INTO chat_groups (group_id, name, owner_id, created_ms) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING");
            insert.setString(1, groupId);
            insert.setString(2, name);
            insert.setString(3, ownerId);
            insert.setLong(4, at.toEpochMilli());
            boolean created = insert.executeUpdate() == 1;
            if (created) {
                directoryChanges.add(DirectoryChange.group(groupId));
            }
            return created;
        });
    }

    @Override
    public void addMembers(String groupId, Collection<String> userIds) {
        sql(() -> {
            PreparedStatement insert = st.prepare("INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
            for (String userId : userIds) {
                insert.setString(1, groupId);
                insert.setString(2, userId);
                insert.executeUpdate();
            }
            directoryChanges.add(DirectoryChange.group(groupId));
            return null;
        });
    }

    @Override
    public void removeMember(String groupId, String userId) {
        sql(() -> {
            PreparedStatement delete = st.prepare("DELETE FROM group_members WHERE group_id = ? AND user_id = ?");
            delete.setString(1, groupId);
            delete.setString(2, userId);
            directoryChanges.add(DirectoryChange.group(groupId));
            return delete.executeUpdate();
        });
    }

    /**
     * On PostgreSQL, queues a notification per changed user or group for every process listening on the SET's
     * database (the cluster's PostgresDirectoryListener); PostgreSQL delivers them at COMMIT and drops them on ROLLBACK.
     * One statement for all. SQLite has a single process, which learns of them from {@link #directoryChanges}.
     */
    public void announceDirectoryChanges() throws SQLException {
        if (directoryChanges.isEmpty() || !st.isPostgres()) {
            return;
        }
        String[] payloads = directoryChanges.stream().map(DirectoryChange::payload).toArray(String[]::new);
        try (PreparedStatement notify = st.connection().prepareStatement(
                "SELECT pg_notify('" + CHANNEL + "', payload) FROM unnest(?) AS payload")) {
            notify.setArray(1, st.connection().createArrayOf("text", payloads));
            notify.executeQuery().close();
        }
    }
}
