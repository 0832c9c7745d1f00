package hongbao.store.sql;

import hongbao.domain.Accounts;
import hongbao.domain.AuditFacts;
import hongbao.domain.PacketIds;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The aggregate queries behind the audit; the verdict itself is {@link hongbao.domain.LedgerAudit}'s. */
final class AuditQueries {
    private static final String ACCOUNTS = """
            SELECT a.account_id, a.balance,
                   COALESCE((SELECT SUM(t.amount) FROM transfers t WHERE t.to_account = a.account_id), 0)
                 - COALESCE((SELECT SUM(t.amount) FROM transfers t WHERE t.from_account = a.account_id), 0)
            FROM accounts a ORDER BY a.account_id""";
    private static final String PACKETS = """
            SELECT p.packet_id, p.status, p.pay_status, p.total, p.opened_count, p.opened_amount, p.refunded,
                   COALESCE(c.n, 0), COALESCE(c.total, 0), COALESCE(c.credited, 0),
                   COALESCE(t.claimed, 0) + COALESCE(c.carried, 0), COALESCE(t.sent, 0), COALESCE(t.refunded, 0)
            FROM packets_all p
            LEFT JOIN (SELECT packet_id, COUNT(*) AS n, SUM(amount) AS total,
                              SUM(CASE WHEN credited = 1 THEN amount ELSE 0 END) AS credited,
                              SUM(CASE WHEN ledger_seq IS NOT NULL THEN amount ELSE 0 END) AS carried
                       FROM claims_all GROUP BY packet_id) c ON c.packet_id = p.packet_id
            LEFT JOIN (SELECT packet_id,
                              SUM(CASE WHEN kind = 'CLAIM' THEN amount ELSE 0 END) AS claimed,
                              SUM(CASE WHEN kind IN ('SEND', 'PAYMENT') THEN amount ELSE 0 END) AS sent,
                              SUM(CASE WHEN kind = 'REFUND' THEN amount ELSE 0 END) AS refunded
                       FROM transfers WHERE packet_id IS NOT NULL GROUP BY packet_id) t ON t.packet_id = p.packet_id""";

    /** The credits claims carry (V14), into each receiver's wallet and out of each shard's escrow. */
    private static final String CARRIED_INTO_WALLETS =
            "SELECT user_id, SUM(amount), COUNT(*) FROM claims_all WHERE ledger_seq IS NOT NULL GROUP BY user_id";
    private static final String CARRIED_OUT_OF_ESCROWS = "SELECT (packet_id >> " + PacketIds.SEQUENCE_BITS + ") & "
            + (PacketIds.MAX_SHARDS - 1) + ", SUM(amount) FROM claims_all WHERE ledger_seq IS NOT NULL GROUP BY 1";

    private static final String BANK_TRANSFERS =
            "SELECT transfer_id FROM transfers WHERE kind IN ('DEPOSIT', 'WITHDRAWAL')";

    private AuditQueries() {
    }

    static AuditFacts facts(Connection connection) throws SQLException {
        Map<String, Long> carried = new HashMap<>();
        long transfers;
        try (PreparedStatement st = connection.prepareStatement("SELECT COUNT(*) FROM transfers"); ResultSet rs = st.executeQuery()) {
            rs.next();
            transfers = rs.getLong(1);
        }
        try (PreparedStatement st = connection.prepareStatement(CARRIED_INTO_WALLETS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                carried.merge(Accounts.wallet(rs.getString(1)), rs.getLong(2), Long::sum);
                transfers += rs.getLong(3);
            }
        }
        try (PreparedStatement st = connection.prepareStatement(CARRIED_OUT_OF_ESCROWS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                carried.merge(Accounts.escrow(rs.getInt(1)), -rs.getLong(2), Long::sum);
            }
        }
        List<AuditFacts.AccountFact> accounts = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(ACCOUNTS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String account = rs.getString(1);
                accounts.add(new AuditFacts.AccountFact(account, rs.getLong(2),
                        rs.getLong(3) + carried.getOrDefault(account, 0L)));
            }
        }
        List<AuditFacts.PacketFact> packets = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(PACKETS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                packets.add(new AuditFacts.PacketFact(rs.getLong(1), PacketStatus.valueOf(rs.getString(2)),
                        PayStatus.ofCode(rs.getInt(3)), rs.getLong(4), rs.getInt(5), rs.getLong(6), rs.getLong(7),
                        rs.getInt(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13)));
            }
        }
        List<String> bankTransferIds = new ArrayList<>();
        try (PreparedStatement st = connection.prepareStatement(BANK_TRANSFERS); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                bankTransferIds.add(rs.getString(1));
            }
        }
        return new AuditFacts(accounts, transfers, packets, bankTransferIds);
    }
}
