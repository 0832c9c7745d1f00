package hongbao.store.sql;

import hongbao.domain.Accounts;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.TransferKind;
import hongbao.store.ledger.LedgerReads;
import hongbao.store.ledger.WalletEntry;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ledger's reads in SQL: balances, wallet movements, transfers and what is owed between SETs. */
public final class LedgerSql implements LedgerReads {
    private final SqlReader reader;

    public LedgerSql(SqlReader reader) {
        this.reader = reader;
    }

    @Override
    public long balance(String account) {
        List<Long> balances = reader.query("SELECT balance FROM accounts WHERE account_id = ?", st -> st.setString(1, account),
                rs -> rs.getLong(1));
        return balances.isEmpty() ? 0 : balances.get(0);
    }

    @Override
    public List<WalletEntry> walletEntries(String userId, Long beforeSeq, int limit) {
        String wallet = Accounts.wallet(userId);
        return reader.query("SELECT seq, transfer_id, kind, from_account, amount, from_balance_after, to_balance_after, packet_id, at_ms "
                + "FROM transfers WHERE (from_account = ? OR to_account = ?) AND seq < ? ORDER BY seq DESC LIMIT ?", st -> {
                    st.setString(1, wallet);
                    st.setString(2, wallet);
                    st.setLong(3, beforeSeq == null ? Long.MAX_VALUE : beforeSeq);
                    st.setInt(4, limit);
                }, rs -> {
                    boolean outgoing = wallet.equals(rs.getString("from_account"));
                    long amount = rs.getLong("amount");
                    long packetId = rs.getLong("packet_id");
                    Long packet = rs.wasNull() ? null : packetId;
                    return new WalletEntry(rs.getLong("seq"), rs.getString("transfer_id"),
                            TransferKind.valueOf(rs.getString("kind")), outgoing ? -amount : amount,
                            rs.getLong(outgoing ? "from_balance_after" : "to_balance_after"), packet,
                            Instant.ofEpochMilli(rs.getLong("at_ms")));
                });
    }

    @Override
    public Optional<Instant> transferTime(String transferId) {
        return reader.query("SELECT at_ms FROM transfers WHERE transfer_id = ?", st -> st.setString(1, transferId),
                rs -> Instant.ofEpochMilli(rs.getLong(1))).stream().findFirst();
    }

    @Override
    public List<CrossSetCredit> outbox(int limit) {
        return reader.query("SELECT packet_id, seq, user_id, amount, from_set, to_set, claimed_ms FROM credit_outbox "
                + "ORDER BY claimed_ms, packet_id, seq LIMIT ?", st -> st.setInt(1, limit),
                rs -> new CrossSetCredit(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getLong(4), rs.getInt(5),
                        rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7))));
    }

    @Override
    public ClearingPosition clearingPosition() {
        Map<Integer, Long> outbound = new HashMap<>();
        Map<Integer, Long> inbound = new HashMap<>();
        reader.query("SELECT account_id, balance FROM accounts WHERE account_id LIKE 'outbound:%' OR account_id LIKE 'inbound:%'",
                st -> { }, rs -> {
                    String account = rs.getString(1);
                    (Accounts.isOutbound(account) ? outbound : inbound).put(Accounts.otherSet(account), rs.getLong(2));
                    return account;
                });
        Map<Integer, ClearingPosition.Pending> pending = new HashMap<>();
        reader.query("SELECT to_set, COUNT(*), SUM(amount), MIN(claimed_ms) FROM credit_outbox GROUP BY to_set", st -> { },
                rs -> pending.put(rs.getInt(1), new ClearingPosition.Pending(rs.getLong(2), rs.getLong(3),
                        Instant.ofEpochMilli(rs.getLong(4)))));
        return new ClearingPosition(outbound, inbound, pending);
    }
}
