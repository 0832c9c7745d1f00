package hongbao.store.sql;

import hongbao.domain.Accounts;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetCredit;
import hongbao.domain.Transfer;
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

    /**
     * A wallet's movements newest first: its transfers and the credits its claims carry (V14), each side read backwards
     * along its own index and the two merged.
     */
    private static final String WALLET_ENTRIES = """
            SELECT * FROM (SELECT seq, transfer_id, kind, from_account, amount, from_balance_after, to_balance_after,
                                  packet_id, at_ms, 0 AS claim_seq
                           FROM transfers WHERE (from_account = ? OR to_account = ?) AND seq < ? ORDER BY seq DESC LIMIT ?) t
            UNION ALL
            SELECT * FROM (SELECT ledger_seq, CAST(NULL AS TEXT), 'CLAIM', CAST(NULL AS TEXT), amount, 0, balance_after,
                                  packet_id, claimed_ms, seq
                           FROM claims_all WHERE user_id = ? AND ledger_seq < ? ORDER BY ledger_seq DESC LIMIT ?) c
            ORDER BY 1 DESC LIMIT ?""";

    @Override
    public List<WalletEntry> walletEntries(String userId, Long beforeSeq, int limit) {
        String wallet = Accounts.wallet(userId);
        long before = beforeSeq == null ? Long.MAX_VALUE : beforeSeq;
        return reader.query(WALLET_ENTRIES, st -> {
                    st.setString(1, wallet);
                    st.setString(2, wallet);
                    st.setLong(3, before);
                    st.setInt(4, limit);
                    st.setString(5, userId);
                    st.setLong(6, before);
                    st.setInt(7, limit);
                    st.setInt(8, limit);
                }, rs -> {
                    long seq = rs.getLong(1);
                    long amount = rs.getLong(5);
                    long packetId = rs.getLong(8);
                    Long packet = rs.wasNull() ? null : packetId;
                    Instant at = Instant.ofEpochMilli(rs.getLong(9));
                    String transferId = rs.getString(2);
                    if (transferId == null) {
                        return new WalletEntry(seq, Transfer.claimId(packetId, rs.getInt(10)), TransferKind.CLAIM, amount,
                                rs.getLong(7), packet, at);
                    }
                    boolean outgoing = wallet.equals(rs.getString(4));
                    return new WalletEntry(seq, transferId, TransferKind.valueOf(rs.getString(3)), outgoing ? -amount : amount,
                            rs.getLong(outgoing ? 6 : 7), packet, at);
                });
    }

    @Override
    public Optional<Instant> transferTime(String transferId) {
        Optional<Instant> recorded = reader.query("SELECT at_ms FROM transfers WHERE transfer_id = ?", st -> st.setString(1, transferId),
                rs -> Instant.ofEpochMilli(rs.getLong(1))).stream().findFirst();
        Optional<ClaimCredits.Key> claim = ClaimCredits.key(transferId);
        if (recorded.isPresent() || claim.isEmpty()) {
            return recorded;
        }
        return reader.query(ClaimCredits.CARRIED_CREDIT, st -> {
            st.setLong(1, claim.get().packetId());
            st.setInt(2, claim.get().seq());
        }, rs -> Instant.ofEpochMilli(rs.getLong(3))).stream().findFirst();
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
