package hongbao.store.sql;

import hongbao.domain.Accounts;
import hongbao.domain.BankReference;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Transfer;
import hongbao.store.ledger.LedgerTx;
import hongbao.store.ledger.RecordedTransfer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedSet;
import static hongbao.store.sql.TxStatements.sql;

/**
 * The ledger's writes in SQL: transfers with both balances after, bank references, the outbox of credits to other
 * SETs. Balances are read once and written back at flush.
 */
public final class LedgerTxSql implements LedgerTx {
    private static final String INSERT_TRANSFER = "INSERT INTO transfers (seq, transfer_id, kind, from_account, to_account, "
            + "amount, from_balance_after, to_balance_after, packet_id, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_OUTBOX = "INSERT INTO credit_outbox (packet_id, seq, user_id, amount, from_set, "
            + "to_set, claimed_ms) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_OUTBOX = "DELETE FROM credit_outbox WHERE packet_id = ? AND seq = ?";
    /** Accounts read by one statement: well under SQLite's and PostgreSQL's limits on bound parameters. */
    private static final int ACCOUNTS_PER_READ = 500;
    private final TxStatements st;
    private final Map<String, Long> balances = new HashMap<>();
    private final Set<String> dirtyAccounts = new LinkedHashSet<>();
    private final LedgerNumbers numbers;

    public LedgerTxSql(TxStatements st) {
        this.st = st;
        this.numbers = new LedgerNumbers(st);
        st.beforeFlush(() -> {
            writeBalances();
            numbers.writeBack();
            return null;
        });
    }

    @Override
    public BankReference takeBankReference(BankReference movement, Instant at) {
        return sql(() -> {
            PreparedStatement insert = st.prepare("INSERT INTO bank_references (kind, reference, user_id, amount, at_ms) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, movement.kind().name());
            insert.setString(2, movement.reference());
            insert.setString(3, movement.userId());
            insert.setLong(4, movement.amount());
            insert.setLong(5, at.toEpochMilli());
            if (insert.executeUpdate() == 1) {
                return movement;
            }
            PreparedStatement query = st.prepare("SELECT user_id, amount FROM bank_references WHERE kind = ? AND reference = ?");
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
            st.flush();
            PreparedStatement query = st.prepare("SELECT from_account, to_account, amount FROM transfers WHERE transfer_id = ?");
            query.setString(1, transferId);
            try (ResultSet rs = query.executeQuery()) {
                if (rs.next()) {
                    return Optional.of(new RecordedTransfer(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            Optional<ClaimCredits.Key> claim = ClaimCredits.key(transferId);
            if (claim.isEmpty()) {
                return Optional.<RecordedTransfer>empty();
            }
            PreparedStatement carried = st.prepare(ClaimCredits.CARRIED_CREDIT);
            carried.setLong(1, claim.get().packetId());
            carried.setInt(2, claim.get().seq());
            try (ResultSet rs = carried.executeQuery()) {
                return rs.next() ? Optional.of(ClaimCredits.recorded(claim.get(), rs.getString(1), rs.getLong(2)))
                        : Optional.<RecordedTransfer>empty();
            }
        });
    }

    /** Where a credit carried by its claim row stands in the ledger: its number and the wallet's balance after it. */
    public record CarriedCredit(long ledgerSeq, long walletBalanceAfter) {
    }

    /**
     * Applies an open's credit from escrow to the wallet without a transfers row: the claim row written beside it
     * carries the returned number and balance, and the ledger's reads and the audit read it as this transfer.
     */
    public CarriedCredit carryInClaim(Transfer credit) {
        return sql(() -> {
            if (debit(credit.from(), credit.amount(), 0).isEmpty()) {
                throw new IllegalStateException("escrow cannot cover " + credit.id());
            }
            long walletAfter = credit(credit.to(), credit.amount());
            return new CarriedCredit(numbers.next(), walletAfter);
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
            PreparedStatement insert = st.prepare(INSERT_TRANSFER);
            insert.setLong(1, numbers.next());
            insert.setString(2, transfer.id());
            insert.setString(3, transfer.kind().name());
            insert.setString(4, transfer.from());
            insert.setString(5, transfer.to());
            insert.setLong(6, transfer.amount());
            insert.setLong(7, fromAfter.getAsLong());
            insert.setLong(8, toAfter);
            if (transfer.packetId() == null) {
                insert.setNull(9, Types.BIGINT);
            } else {
                insert.setLong(9, transfer.packetId());
            }
            insert.setLong(10, transfer.at().toEpochMilli());
            st.addBatch(INSERT_TRANSFER, insert);
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
        String lock = st.isPostgres() ? " FOR UPDATE" : "";
        try (PreparedStatement query = st.connection().prepareStatement("SELECT account_id, balance FROM accounts WHERE account_id IN ("
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
        numbers.accountLocked();
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
        PreparedStatement lock = st.prepare("UPDATE accounts SET balance = balance WHERE account_id = ? RETURNING balance");
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
            numbers.accountLocked();
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
        PreparedStatement update = st.prepare("UPDATE accounts SET balance = ? WHERE account_id = ?");
        for (String account : dirtyAccounts) {
            update.setLong(1, balances.get(account));
            update.setString(2, account);
            update.addBatch();
        }
        update.executeBatch();
        dirtyAccounts.clear();
    }

    public void ensureAccount(String account) throws SQLException {
        PreparedStatement insert = st.prepare("INSERT INTO accounts (account_id, balance) VALUES (?, 0) ON CONFLICT DO NOTHING");
        insert.setString(1, account);
        insert.executeUpdate();
    }

    @Override
    public void insertOutbox(CrossSetCredit credit) {
        sql(() -> {
            PreparedStatement insert = st.prepare(INSERT_OUTBOX);
            insert.setLong(1, credit.packetId());
            insert.setInt(2, credit.seq());
            insert.setString(3, credit.userId());
            insert.setLong(4, credit.amount());
            insert.setInt(5, credit.fromSet());
            insert.setInt(6, credit.toSet());
            insert.setLong(7, credit.claimedAt().toEpochMilli());
            st.addBatch(INSERT_OUTBOX, insert);
            return null;
        });
    }

    @Override
    public void completeOutbox(CrossSetCredit credit, Instant at) {
        moveFromEscrow(Transfer.creditSent(credit, at));
        sql(() -> {
            for (String statement : new String[] {PacketTxSql.MARK_CREDITED, DELETE_OUTBOX}) {
                PreparedStatement update = st.prepare(statement);
                update.setLong(1, credit.packetId());
                update.setInt(2, credit.seq());
                st.addBatch(statement, update);
            }
            return null;
        });
    }
}
