package hongbao.store.sql;

import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The SQL of the campaign tables, and their rows mapped to domain values and back. */
final class CampaignRows {
    private static final String CAMPAIGN_COLUMNS = "mch_id, campaign_id, name, wishing, budget, amount_min, amount_max, "
            + "win_permille, starts_ms, ends_ms, reserved, wins, created_ms";
    static final String SELECT_CAMPAIGN = "SELECT " + CAMPAIGN_COLUMNS + " FROM campaigns WHERE mch_id = ? AND campaign_id = ?";
    static final String INSERT_CAMPAIGN = "INSERT INTO campaigns (" + CAMPAIGN_COLUMNS + ") VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    /**
     * Reads the campaign and, on PostgreSQL, row-locks it for the rest of the transaction (a no-op update), so that
     * entries of one campaign draw their amounts one after another from the true remainder.
     */
    static final String LOCK_CAMPAIGN = "UPDATE campaigns SET reserved = reserved WHERE mch_id = ? AND campaign_id = ? "
            + "RETURNING " + CAMPAIGN_COLUMNS;
    /** Guarded even under the lock: a reservation past the budget changes no row, and the caller fails loudly. */
    static final String RESERVE = "UPDATE campaigns SET reserved = reserved + ?, wins = wins + 1 "
            + "WHERE mch_id = ? AND campaign_id = ? AND reserved + ? <= budget";
    private static final String WIN_COLUMNS = "mch_id, campaign_id, user_id, amount, state, packet_id, created_ms, paid_ms";
    static final String SELECT_WIN = "SELECT " + WIN_COLUMNS + " FROM campaign_wins "
            + "WHERE mch_id = ? AND campaign_id = ? AND user_id = ?";
    /** The primary key (campaign, user) makes a second win of a user insert nothing. */
    static final String INSERT_WIN = "INSERT INTO campaign_wins (" + WIN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";
    static final String MARK_PAID = "UPDATE campaign_wins SET state = 'PAID', packet_id = ?, paid_ms = ? "
            + "WHERE mch_id = ? AND campaign_id = ? AND user_id = ? AND state = 'PENDING'";
    static final String SELECT_WINS = "SELECT " + WIN_COLUMNS + " FROM campaign_wins "
            + "WHERE mch_id = ? AND campaign_id = ? AND user_id > ? ORDER BY user_id LIMIT ?";
    static final String SELECT_PENDING = "SELECT " + WIN_COLUMNS + " FROM campaign_wins "
            + "WHERE state = 'PENDING' AND mch_id = ? AND campaign_id = ? ORDER BY created_ms, user_id LIMIT ?";
    static final String SELECT_WITH_PENDING = "SELECT c.mch_id, c.campaign_id, c.name, c.wishing, c.budget, c.amount_min, "
            + "c.amount_max, c.win_permille, c.starts_ms, c.ends_ms, c.reserved, c.wins, c.created_ms FROM campaigns c "
            + "JOIN (SELECT DISTINCT mch_id, campaign_id FROM campaign_wins WHERE state = 'PENDING') p "
            + "ON p.mch_id = c.mch_id AND p.campaign_id = c.campaign_id ORDER BY c.created_ms";
    static final String TOTALS = "SELECT state, COUNT(*), COALESCE(SUM(amount), 0) FROM campaign_wins "
            + "WHERE mch_id = ? AND campaign_id = ? GROUP BY state";

    private CampaignRows() {
    }

    static Campaign campaign(ResultSet rs) throws SQLException {
        return new Campaign(rs.getString("mch_id"), rs.getString("campaign_id"), rs.getString("name"),
                rs.getString("wishing"), rs.getLong("budget"), rs.getLong("amount_min"), rs.getLong("amount_max"),
                rs.getInt("win_permille"), Instant.ofEpochMilli(rs.getLong("starts_ms")),
                Instant.ofEpochMilli(rs.getLong("ends_ms")), rs.getLong("reserved"), rs.getInt("wins"),
                Instant.ofEpochMilli(rs.getLong("created_ms")));
    }

    static void bindCampaign(PreparedStatement insert, Campaign campaign) throws SQLException {
        insert.setString(1, campaign.mchId());
        insert.setString(2, campaign.campaignId());
        insert.setString(3, campaign.name());
        insert.setString(4, campaign.wishing());
        insert.setLong(5, campaign.budget());
        insert.setLong(6, campaign.amountMin());
        insert.setLong(7, campaign.amountMax());
        insert.setInt(8, campaign.winPermille());
        insert.setLong(9, campaign.startsAt().toEpochMilli());
        insert.setLong(10, campaign.endsAt().toEpochMilli());
        insert.setLong(11, campaign.reserved());
        insert.setInt(12, campaign.wins());
        insert.setLong(13, campaign.createdAt().toEpochMilli());
    }

    static CampaignWin win(ResultSet rs) throws SQLException {
        long packetId = rs.getLong("packet_id");
        Long packet = rs.wasNull() ? null : packetId;
        long paidMillis = rs.getLong("paid_ms");
        Instant paidAt = rs.wasNull() ? null : Instant.ofEpochMilli(paidMillis);
        return new CampaignWin(rs.getString("mch_id"), rs.getString("campaign_id"), rs.getString("user_id"),
                rs.getLong("amount"), CampaignWin.State.valueOf(rs.getString("state")), packet,
                Instant.ofEpochMilli(rs.getLong("created_ms")), paidAt);
    }

    static void bindWin(PreparedStatement insert, CampaignWin win) throws SQLException {
        insert.setString(1, win.mchId());
        insert.setString(2, win.campaignId());
        insert.setString(3, win.userId());
        insert.setLong(4, win.amount());
        insert.setString(5, win.state().name());
        if (win.packetId() == null) {
            insert.setNull(6, java.sql.Types.BIGINT);
        } else {
            insert.setLong(6, win.packetId());
        }
        insert.setLong(7, win.createdAt().toEpochMilli());
        if (win.paidAt() == null) {
            insert.setNull(8, java.sql.Types.BIGINT);
        } else {
            insert.setLong(8, win.paidAt().toEpochMilli());
        }
    }
}
