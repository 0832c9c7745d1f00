package hongbao.store.sql;

import hongbao.domain.Claim;
import hongbao.domain.Packet;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import static hongbao.store.sql.TxStatements.setNullableMillis;
import static hongbao.store.sql.TxStatements.sql;

/** Packets' and claims' writes in SQL; progress updates and claims go in batches. */
public final class PacketTxSql {
    private static final String UPDATE_PACKET = "UPDATE packets SET status = ?, pay_status = ?, finished_ms = ?, "
            + "opened_count = ?, opened_amount = ?, refunded = ? WHERE packet_id = ?";
    private static final String INSERT_CLAIM = "INSERT INTO claims (packet_id, seq, user_id, amount, claimed_ms, credited, "
            + "ledger_seq, balance_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    static final String MARK_CREDITED = "UPDATE claims SET credited = 1 WHERE packet_id = ? AND seq = ? AND credited = 0";
    private final TxStatements st;

    public PacketTxSql(TxStatements st) {
        this.st = st;
    }

    public void insertPacket(Packet packet) {
        sql(() -> {
            PreparedStatement insert = st.prepare("INSERT INTO packets (packet_id, kind, sender_id, group_id, to_user_id, greeting, "
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

    public void updatePacketProgress(Packet packet) {
        sql(() -> {
            PreparedStatement update = st.prepare(UPDATE_PACKET);
            update.setString(1, packet.status().name());
            update.setInt(2, packet.payStatus().code());
            setNullableMillis(update, 3, packet.finishedAt());
            update.setInt(4, packet.openedCount());
            update.setLong(5, packet.openedAmount());
            update.setLong(6, packet.refunded());
            update.setLong(7, packet.id());
            st.addBatch(UPDATE_PACKET, update);
            return null;
        });
    }

    public void insertClaim(Claim claim) {
        insertClaim(claim, null);
    }

    /** A claim that carries its own credit from escrow ({@code carried} not null), or one credited later if at all. */
    public void insertClaim(Claim claim, LedgerTxSql.CarriedCredit carried) {
        sql(() -> {
            PreparedStatement insert = st.prepare(INSERT_CLAIM);
            insert.setLong(1, claim.packetId());
            insert.setInt(2, claim.seq());
            insert.setString(3, claim.userId());
            insert.setLong(4, claim.amount());
            insert.setLong(5, claim.claimedAt().toEpochMilli());
            insert.setInt(6, claim.credited() ? 1 : 0);
            if (carried == null) {
                insert.setNull(7, Types.BIGINT);
                insert.setNull(8, Types.BIGINT);
            } else {
                insert.setLong(7, carried.ledgerSeq());
                insert.setLong(8, carried.walletBalanceAfter());
            }
            st.addBatch(INSERT_CLAIM, insert);
            return null;
        });
    }

    public List<Claim> claimsToCredit(long packetId) {
        return sql(() -> {
            st.flush();
            PreparedStatement query = st.prepare("SELECT " + PacketRows.CLAIM_COLUMNS + " FROM claims c WHERE packet_id = ? "
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

    public void markCredited(Claim claim) {
        sql(() -> {
            PreparedStatement update = st.prepare(MARK_CREDITED);
            update.setLong(1, claim.packetId());
            update.setInt(2, claim.seq());
            st.addBatch(MARK_CREDITED, update);
            return null;
        });
    }
}
