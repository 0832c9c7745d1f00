package hongbao.store.sql;

import hongbao.domain.Claim;
import hongbao.domain.Packet;
import hongbao.domain.PacketKind;
import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Maps packet and claim rows to domain values and back. */
public final class PacketRows {
    public static final String PACKET_COLUMNS = "packet_id, kind, sender_id, group_id, to_user_id, greeting, total, share_count, "
            + "shares, status, pay_status, created_ms, expires_ms, finished_ms, opened_count, opened_amount, refunded";
    static final String CLAIM_COLUMNS = "packet_id, seq, user_id, amount, claimed_ms, credited";

    private PacketRows() {
    }

    static String encodeShares(List<Long> shares) {
        return shares.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    public static Packet packet(ResultSet rs) throws SQLException {
        List<Long> shares = Arrays.stream(rs.getString("shares").split(",")).map(Long::valueOf).toList();
        return new Packet(rs.getLong("packet_id"), PacketKind.valueOf(rs.getString("kind")), rs.getString("sender_id"),
                rs.getString("group_id"), rs.getString("to_user_id"), rs.getString("greeting"), rs.getLong("total"),
                rs.getInt("share_count"), shares, PacketStatus.valueOf(rs.getString("status")),
                PayStatus.ofCode(rs.getInt("pay_status")), Instant.ofEpochMilli(rs.getLong("created_ms")),
                Instant.ofEpochMilli(rs.getLong("expires_ms")), nullableInstant(rs, "finished_ms"),
                rs.getInt("opened_count"), rs.getLong("opened_amount"), rs.getLong("refunded"));
    }

    static Claim claim(ResultSet rs) throws SQLException {
        return new Claim(rs.getLong("packet_id"), rs.getInt("seq"), rs.getString("user_id"), rs.getLong("amount"),
                Instant.ofEpochMilli(rs.getLong("claimed_ms")), rs.getInt("credited") == 1);
    }

    private static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
