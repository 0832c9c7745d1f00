package hongbao.store.sql;

import hongbao.cluster.PostgresDirectoryListener;
import hongbao.store.DirectoryChange;
import hongbao.store.IdempotencySlot;
import hongbao.store.OpenidBinding;
import hongbao.store.ReconcileJob;
import hongbao.store.RecordedTransfer;
import hongbao.store.RefundDue;
import hongbao.store.StoreException;
import hongbao.store.StoredAnswer;
import hongbao.store.WriteTx;

import java.util.SortedSet;
import java.util.LinkedHashSet;
import java.util.Set;
import hongbao.domain.Accounts;
import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.domain.Claim;
import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.BankReference;
import hongbao.domain.Packet;
import hongbao.domain.Transfer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** One write transaction in plain SQL that SQLite and PostgreSQL both accept. Inserts are sent in JDBC batches. */
public final class SqlWriteTx implements WriteTx {
    private static final String INSERT_TRANSFER = "INSERT INTO transfers (transfer_id, kind, from_account, to_account, "
            + "amount, from_balance_after, to_balance_after, packet_id, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_PACKET = "UPDATE packets SET status = ?, pay_status = ?, finished_ms = ?, "
            + "opened_count = ?, opened_amount = ?, refunded = ? WHERE packet_id = ?";
    private static final String INSERT_CLAIM =
            "INSERT INTO claims (packet_id, seq, user_id, amount, claimed_ms, credited) VALUES (?, ?, ?, ?, ?, ?)";

    private static final String INSERT_OUTBOX = "INSERT INTO credit_outbox (packet_id, seq, user_id, amount, from_set, "
            + "to_set, claimed_ms) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String MARK_CREDITED = "UPDATE claims SET credited = 1 WHERE packet_id = ? AND seq = ? AND credited = 0";
    private static final String DELETE_OUTBOX = "DELETE FROM credit_outbox WHERE packet_id = ? AND seq = ?";

    /** Accounts read by one statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
    private static final int ACCOUNTS_PER_READ = 500;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private final Map<String, Integer> pendingBatches = new HashMap<>();
    private final Map<String, Long> balances = new HashMap<>();
    private final Set<String> dirtyAccounts = new LinkedHashSet<>();
    /** Users and groups this transaction changed: announced to other processes at commit, to this one after it. */
    private final Set<DirectoryChange> directoryChanges = new LinkedHashSet<>();
    private Boolean postgres;

    public SqlWriteTx(Connection connection) {
        this.connection = connection;
    }

    @Override
    public boolean insertUser(String userId, String name, Instant at) {
        return sql(() -> {
            PreparedStatement insert = prepare("INSERT INTO users (user_id, name, created_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, userId);
            insert.setString(2, name);
            insert.setLong(3, at.toEpochMilli());
            boolean created = insert.executeUpdate() == 1;
            if (created) {
                ensureAccount(Accounts.wallet(userId));
                directoryChanges.add(DirectoryChange.user(userId));
            }
            return created;
        });
    }

    @Override
    public boolean insertGroup(String groupId, String name, String ownerId, Instant at) {
        return sql(() -> {
            PreparedStatement insert = prepare("INSERT INTO chat_groups (group_id, name, owner_id, created_ms) VALUES (?, ?, ?, ?) "
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
            PreparedStatement insert = prepare("INSERT INTO group_members (group_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING");
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
            PreparedStatement delete = prepare("DELETE FROM group_members WHERE group_id = ? AND user_id = ?");
            delete.setString(1, groupId);
            delete.setString(2, userId);
            directoryChanges.add(DirectoryChange.group(groupId));
            return delete.executeUpdate();
        });
    }

    @Override
    public BankReference takeBankReference(BankReference movement, Instant at) {
        return sql(() -> {
            PreparedStatement insert = prepare("INSERT INTO bank_references (kind, reference, user_id, amount, at_ms) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, movement.kind().name());
            insert.setString(2, movement.reference());
            insert.setString(3, movement.userId());
            insert.setLong(4, movement.amount());
            insert.setLong(5, at.toEpochMilli());
            if (insert.executeUpdate() == 1) {
                return movement;
            }
            PreparedStatement query = prepare("SELECT user_id, amount FROM bank_references WHERE kind = ? AND reference = ?");
            query.setString(1, movement.kind().name());
            query.setString(2, movement.reference());
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("bank reference " + movement.reference() + " neither inserted nor found");
                }
                return new BankReference(movement.kind(), movement.reference(), rs.getString(1), rs.getLong(2));
            }
        });
    }

    @Override
    public Optional<RecordedTransfer> recordedTransfer(String transferId) {
        return sql(() -> {
            flush();
            PreparedStatement query = prepare("SELECT from_account, to_account, amount FROM transfers WHERE transfer_id = ?");
            query.setString(1, transferId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(new RecordedTransfer(rs.getString(1), rs.getString(2), rs.getLong(3)))
                        : Optional.<RecordedTransfer>empty();
            }
        });
    }

    @Override
    public boolean move(Transfer transfer, long fromFloor) {
        return sql(() -> {
            OptionalLong fromAfter = debit(transfer.from(), transfer.amount(), fromFloor);
            if (fromAfter.isEmpty()) {
                return false;
            }
            long toAfter = credit(transfer.to(), transfer.amount());
            PreparedStatement insert = prepare(INSERT_TRANSFER);
            insert.setString(1, transfer.id());
            insert.setString(2, transfer.kind().name());
            insert.setString(3, transfer.from());
            insert.setString(4, transfer.to());
            insert.setLong(5, transfer.amount());
            insert.setLong(6, fromAfter.getAsLong());
            insert.setLong(7, toAfter);
            if (transfer.packetId() == null) {
                insert.setNull(8, Types.BIGINT);
            } else {
                insert.setLong(8, transfer.packetId());
            }
            insert.setLong(9, transfer.at().toEpochMilli());
            addBatch(INSERT_TRANSFER, insert);
            return true;
        });
    }

    /**
     * Reads (and on PostgreSQL row-locks, in the database's order of account ids) every account not read yet, a few
     * hundred per statement: a derivation batch touches thousands of wallets, and one statement each would cost a
     * round trip each.
     */
    @Override
    public void lockAccounts(SortedSet<String> accounts) {
        sql(() -> {
            List<String> unread = accounts.stream().filter(account -> !balances.containsKey(account)).toList();
            for (int from = 0; from < unread.size(); from += ACCOUNTS_PER_READ) {
                readBalances(unread.subList(from, Math.min(unread.size(), from + ACCOUNTS_PER_READ)));
            }
            for (String account : unread) {
                balance(account);
            }
            return null;
        });
    }

    private void readBalances(List<String> sortedAccounts) throws SQLException {
        String placeholders = String.join(", ", java.util.Collections.nCopies(sortedAccounts.size(), "?"));
        // SQLite has one writer at a time and no row locks; PostgreSQL locks the rows as they come, in this order.
        String lock = isPostgres() ? " FOR UPDATE" : "";
        try (PreparedStatement query = connection.prepareStatement("SELECT account_id, balance FROM accounts WHERE account_id IN ("
                + placeholders + ") ORDER BY account_id" + lock)) {
            for (int i = 0; i < sortedAccounts.size(); i++) {
                query.setString(i + 1, sortedAccounts.get(i));
            }
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    balances.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
    }

    private boolean isPostgres() throws SQLException {
        if (postgres == null) {
            postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        }
        return postgres;
    }

    /**
     * Balances are read (and, on PostgreSQL, row-locked) once per transaction by a no-op update, then kept here: a
     * batch of a thousand opens touches the escrow row once, not a thousand times. Written back in {@link #flush}.
     */
    private long balance(String account) throws SQLException {
        Long known = balances.get(account);
        if (known != null) {
            return known;
        }
        PreparedStatement lock = prepare("UPDATE accounts SET balance = balance WHERE account_id = ? RETURNING balance");
        lock.setString(1, account);
        try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
                if (Accounts.isOutbound(account) || Accounts.isInbound(account)) {
                    // A SET's clearing account with another SET appears with the first credit between them.
                    ensureAccount(account);
                    balances.put(account, 0L);
                    return 0;
                }
                throw new SQLException("no account " + account);
            }
            long balance = rs.getLong(1);
            balances.put(account, balance);
            return balance;
        }
    }

    private OptionalLong debit(String account, long amount, long floor) throws SQLException {
        long after = balance(account) - amount;
        if (after < floor) {
            return OptionalLong.empty();
        }
        balances.put(account, after);
        dirtyAccounts.add(account);
        return OptionalLong.of(after);
    }

    private long credit(String account, long amount) throws SQLException {
        long after = Math.addExact(balance(account), amount);
        balances.put(account, after);
        dirtyAccounts.add(account);
        return after;
    }

    private void writeBalances() throws SQLException {
        if (dirtyAccounts.isEmpty()) {
            return;
        }
        PreparedStatement update = prepare("UPDATE accounts SET balance = ? WHERE account_id = ?");
        for (String account : dirtyAccounts) {
            update.setLong(1, balances.get(account));
            update.setString(2, account);
            update.addBatch();
        }
        update.executeBatch();
        dirtyAccounts.clear();
    }

    /** Records the database's SET on first start; refuses a database that belongs elsewhere in the layout. */
    public void claimPlacement(SetPlacement placement) throws SQLException {
        PreparedStatement query = prepare("SELECT set_index, set_count, shards FROM set_placement");
        try (ResultSet rs = query.executeQuery()) {
            if (rs.next()) {
                SetPlacement recorded = new SetPlacement(new hongbao.domain.SetLayout(rs.getInt(3), rs.getInt(2)), rs.getInt(1));
                if (!recorded.equals(placement)) {
                    throw new StoreException("this database is " + recorded.describe() + ", but the configuration makes it "
                            + placement.describe() + "; list the stores in their original order and keep --shards", null);
                }
                return;
            }
        }
        PreparedStatement insert = prepare("INSERT INTO set_placement (set_index, set_count, shards) VALUES (?, ?, ?)");
        insert.setInt(1, placement.index());
        insert.setInt(2, placement.layout().sets());
        insert.setInt(3, placement.layout().shards());
        insert.executeUpdate();
    }

    /** Journal entries up to this op are derived, by this transaction or before it. */
    /**
     * How far the journal is derived, as committed: read first in a deriving transaction, locking the mark, so that it
     * waits for a transaction that still holds it (a COMMIT whose answer was lost) and sees that one's outcome.
     */
    public long lockDerivedThrough() {
        return sql(() -> {
            PreparedStatement select = prepare("SELECT derived_through FROM journal_marks WHERE id = 0"
                    + (isPostgres() ? " FOR UPDATE" : ""));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("journal_marks has no row");
                }
                return rs.getLong(1);
            }
        });
    }

    /** Rewrites the journal's mark unchanged: a write that needs the disk and the lease, for a readiness probe. */
    public void touchJournalMarks() {
        sql(() -> prepare("UPDATE journal_marks SET derived_through = derived_through WHERE id = 0").executeUpdate());
    }

    public void markDerivedThrough(long op) {
        sql(() -> {
            PreparedStatement update = prepare("UPDATE journal_marks SET derived_through = ? WHERE id = 0 AND derived_through < ?");
            update.setLong(1, op);
            update.setLong(2, op);
            if (update.executeUpdate() != 1) {
                throw new SQLException("journal entries through " + op + " were derived already");
            }
            return null;
        });
    }

    public void ensureAccount(String account) throws SQLException {
        PreparedStatement insert = prepare("INSERT INTO accounts (account_id, balance) VALUES (?, 0) ON CONFLICT DO NOTHING");
        insert.setString(1, account);
        insert.executeUpdate();
    }

    @Override
    public void insertPacket(Packet packet) {
        sql(() -> {
            PreparedStatement insert = prepare("INSERT INTO packets (packet_id, kind, sender_id, group_id, to_user_id, greeting, "
                    + "total, share_count, shares, status, pay_status, created_ms, expires_ms, finished_ms, opened_count, "
                    + "opened_amount, refunded) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insert.setLong(1, packet.id());
            insert.setString(2, packet.kind().name());
            insert.setString(3, packet.senderId());
            insert.setString(4, packet.groupId());
            insert.setString(5, packet.toUserId());
            insert.setString(6, packet.greeting());
            insert.setLong(7, packet.total());
            insert.setInt(8, packet.count());
            insert.setString(9, PacketRows.encodeShares(packet.shares()));
            insert.setString(10, packet.status().name());
            insert.setInt(11, packet.payStatus().code());
            insert.setLong(12, packet.createdAt().toEpochMilli());
            insert.setLong(13, packet.expiresAt().toEpochMilli());
            setNullableMillis(insert, 14, packet.finishedAt());
            insert.setInt(15, packet.openedCount());
            insert.setLong(16, packet.openedAmount());
            insert.setLong(17, packet.refunded());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public void updatePacketProgress(Packet packet) {
        sql(() -> {
            PreparedStatement update = prepare(UPDATE_PACKET);
            update.setString(1, packet.status().name());
            update.setInt(2, packet.payStatus().code());
            setNullableMillis(update, 3, packet.finishedAt());
            update.setInt(4, packet.openedCount());
            update.setLong(5, packet.openedAmount());
            update.setLong(6, packet.refunded());
            update.setLong(7, packet.id());
            addBatch(UPDATE_PACKET, update);
            return null;
        });
    }

    @Override
    public void insertClaim(Claim claim) {
        sql(() -> {
            PreparedStatement insert = prepare(INSERT_CLAIM);
            insert.setLong(1, claim.packetId());
            insert.setInt(2, claim.seq());
            insert.setString(3, claim.userId());
            insert.setLong(4, claim.amount());
            insert.setLong(5, claim.claimedAt().toEpochMilli());
            insert.setInt(6, claim.credited() ? 1 : 0);
            addBatch(INSERT_CLAIM, insert);
            return null;
        });
    }

    @Override
    public List<Claim> claimsToCredit(long packetId) {
        return sql(() -> {
            flush();
            PreparedStatement query = prepare("SELECT " + PacketRows.CLAIM_COLUMNS + " FROM claims c WHERE packet_id = ? "
                    + "AND credited = 0 AND NOT EXISTS (SELECT 1 FROM credit_outbox o WHERE o.packet_id = c.packet_id "
                    + "AND o.seq = c.seq) ORDER BY seq");
            query.setLong(1, packetId);
            List<Claim> claims = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    claims.add(PacketRows.claim(rs));
                }
            }
            return claims;
        });
    }

    @Override
    public void markCredited(Claim claim) {
        sql(() -> {
            PreparedStatement update = prepare(MARK_CREDITED);
            update.setLong(1, claim.packetId());
            update.setInt(2, claim.seq());
            addBatch(MARK_CREDITED, update);
            return null;
        });
    }

    @Override
    public void insertJob(ReconcileJob job) {
        sql(() -> {
            PreparedStatement insert = prepare("INSERT INTO reconcile_jobs (packet_id, pass, due_ms) VALUES (?, ?, ?) "
                    + "ON CONFLICT DO NOTHING");
            insert.setLong(1, job.packetId());
            insert.setInt(2, job.pass());
            insert.setLong(3, job.due().toEpochMilli());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public void deleteJob(ReconcileJob job) {
        sql(() -> {
            PreparedStatement delete = prepare("DELETE FROM reconcile_jobs WHERE packet_id = ? AND pass = ?");
            delete.setLong(1, job.packetId());
            delete.setInt(2, job.pass());
            if (delete.executeUpdate() != 1) {
                throw new SQLException("reconcile job " + job + " was already done");
            }
            return null;
        });
    }

    @Override
    public void insertRefundDue(RefundDue refund) {
        sql(() -> {
            PreparedStatement insert = prepare("INSERT INTO refunds_due (payment_id, packet_id, amount, reason, at_ms) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, refund.paymentId());
            insert.setLong(2, refund.packetId());
            insert.setLong(3, refund.amount());
            insert.setString(4, refund.reason());
            insert.setLong(5, refund.at().toEpochMilli());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public void insertOutbox(CrossSetCredit credit) {
        sql(() -> {
            PreparedStatement insert = prepare(INSERT_OUTBOX);
            insert.setLong(1, credit.packetId());
            insert.setInt(2, credit.seq());
            insert.setString(3, credit.userId());
            insert.setLong(4, credit.amount());
            insert.setInt(5, credit.fromSet());
            insert.setInt(6, credit.toSet());
            insert.setLong(7, credit.claimedAt().toEpochMilli());
            addBatch(INSERT_OUTBOX, insert);
            return null;
        });
    }

    @Override
    public void completeOutbox(CrossSetCredit credit, Instant at) {
        moveFromEscrow(Transfer.creditSent(credit, at));
        sql(() -> {
            for (String statement : new String[] {MARK_CREDITED, DELETE_OUTBOX}) {
                PreparedStatement update = prepare(statement);
                update.setLong(1, credit.packetId());
                update.setInt(2, credit.seq());
                addBatch(statement, update);
            }
            return null;
        });
    }

    @Override
    public void saveAnswer(IdempotencySlot slot, StoredAnswer answer) {
        sql(() -> {
            PreparedStatement insert = prepare(
                    "INSERT INTO idempotency (scope, idem_key, request_hash, status, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, slot.scope());
            insert.setString(2, slot.key());
            insert.setString(3, slot.requestHash());
            insert.setInt(4, answer.status());
            insert.setString(5, answer.body());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean insertMerchant(Merchant merchant, Instant at) {
        return sql(() -> {
            PreparedStatement insert = prepare(MerchantRows.INSERT_MERCHANT);
            insert.setString(1, merchant.mchId());
            insert.setString(2, merchant.name());
            insert.setString(3, merchant.apiKey());
            insert.setString(4, merchant.wxappid());
            insert.setLong(5, at.toEpochMilli());
            return insert.executeUpdate() == 1;
        });
    }

    @Override
    public boolean bindOpenid(OpenidBinding binding) {
        return sql(() -> {
            PreparedStatement insert = prepare(MerchantRows.INSERT_BINDING);
            insert.setString(1, binding.wxappid());
            insert.setString(2, binding.openid());
            insert.setString(3, binding.userId());
            return insert.executeUpdate() == 1;
        });
    }

    @Override
    public void saveBill(RedpackBill bill) {
        sql(() -> {
            PreparedStatement upsert = prepare(MerchantRows.UPSERT_BILL);
            MerchantRows.bindBill(upsert, bill);
            upsert.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean takeDailySend(String mchId, String userId, String day, int limit) {
        return sql(() -> {
            PreparedStatement upsert = prepare(MerchantRows.TAKE_DAILY_SEND);
            upsert.setString(1, mchId);
            upsert.setString(2, userId);
            upsert.setString(3, day);
            upsert.setInt(4, limit);
            return upsert.executeUpdate() == 1;
        });
    }

    @Override
    public void returnDailySend(String mchId, String userId, String day) {
        sql(() -> {
            PreparedStatement update = prepare(MerchantRows.RETURN_DAILY_SEND);
            update.setString(1, mchId);
            update.setString(2, userId);
            update.setString(3, day);
            if (update.executeUpdate() != 1) {
                throw new SQLException("no send of " + mchId + " to " + userId + " on " + day + " to give back");
            }
            return null;
        });
    }

    @Override
    public boolean insertCampaign(Campaign campaign) {
        return sql(() -> {
            PreparedStatement insert = prepare(CampaignRows.INSERT_CAMPAIGN);
            CampaignRows.bindCampaign(insert, campaign);
            return insert.executeUpdate() == 1;
        });
    }

    @Override
    public Optional<Campaign> lockCampaign(String mchId, String campaignId) {
        return sql(() -> {
            PreparedStatement lock = prepare(CampaignRows.LOCK_CAMPAIGN);
            lock.setString(1, mchId);
            lock.setString(2, campaignId);
            try (ResultSet rs = lock.executeQuery()) {
                return rs.next() ? Optional.of(CampaignRows.campaign(rs)) : Optional.<Campaign>empty();
            }
        });
    }

    @Override
    public Optional<CampaignWin> campaignWin(String mchId, String campaignId, String userId) {
        return sql(() -> {
            PreparedStatement query = prepare(CampaignRows.SELECT_WIN);
            query.setString(1, mchId);
            query.setString(2, campaignId);
            query.setString(3, userId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(CampaignRows.win(rs)) : Optional.<CampaignWin>empty();
            }
        });
    }

    @Override
    public boolean insertWin(CampaignWin win) {
        return sql(() -> {
            PreparedStatement insert = prepare(CampaignRows.INSERT_WIN);
            CampaignRows.bindWin(insert, win);
            if (insert.executeUpdate() == 0) {
                return false;
            }
            PreparedStatement reserve = prepare(CampaignRows.RESERVE);
            reserve.setLong(1, win.amount());
            reserve.setString(2, win.mchId());
            reserve.setString(3, win.campaignId());
            reserve.setLong(4, win.amount());
            if (reserve.executeUpdate() != 1) {
                throw new SQLException("the budget of campaign " + win.campaignId() + " cannot cover " + win.amount());
            }
            return true;
        });
    }

    @Override
    public void markWinPaid(CampaignWin win, long packetId, Instant at) {
        sql(() -> {
            PreparedStatement update = prepare(CampaignRows.MARK_PAID);
            update.setLong(1, packetId);
            update.setLong(2, at.toEpochMilli());
            update.setString(3, win.mchId());
            update.setString(4, win.campaignId());
            update.setString(5, win.userId());
            if (update.executeUpdate() != 1) {
                throw new SQLException("the win of " + win.userId() + " in " + win.campaignId() + " is not pending");
            }
            return null;
        });
    }

    /** Sends every pending batch; called before commit and before any read that must see them. */
    public void flush() throws SQLException {
        writeBalances();
        for (Map.Entry<String, Integer> pending : pendingBatches.entrySet()) {
            int[] counts = statements.get(pending.getKey()).executeBatch();
            for (int count : counts) {
                // Every batched statement changes exactly one row; anything else means a lost update, so fail.
                if (count != 1 && count != java.sql.Statement.SUCCESS_NO_INFO) {
                    throw new SQLException("a batched write changed " + count + " rows: " + pending.getKey());
                }
            }
        }
        pendingBatches.clear();
    }

    /**
     * On PostgreSQL, queues a notification per changed user or group for every process listening on the SET's
     * database (see {@link PostgresDirectoryListener}); PostgreSQL delivers them at COMMIT and drops them on ROLLBACK.
     * One statement for all. SQLite has a single process, which learns of them from {@link #directoryChanges}.
     */
    public void announceDirectoryChanges() throws SQLException {
        if (directoryChanges.isEmpty() || !isPostgres()) {
            return;
        }
        String[] payloads = directoryChanges.stream().map(DirectoryChange::payload).toArray(String[]::new);
        try (PreparedStatement notify = connection.prepareStatement(
                "SELECT pg_notify('" + PostgresDirectoryListener.CHANNEL + "', payload) FROM unnest(?) AS payload")) {
            notify.setArray(1, connection.createArrayOf("text", payloads));
            notify.executeQuery().close();
        }
    }

    public List<DirectoryChange> directoryChanges() {
        return List.copyOf(directoryChanges);
    }

    public void closeStatements() throws SQLException {
        for (PreparedStatement statement : statements.values()) {
            statement.close();
        }
    }

    private void addBatch(String sql, PreparedStatement statement) throws SQLException {
        statement.addBatch();
        pendingBatches.merge(sql, 1, Integer::sum);
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private static void setNullableMillis(PreparedStatement statement, int index, Instant at) throws SQLException {
        if (at == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, at.toEpochMilli());
        }
    }

    private interface SqlWork<T> {
        T run() throws SQLException;
    }

    private static <T> T sql(SqlWork<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new StoreException("write failed: " + e.getMessage(), e);
        }
    }
}
