package hongbao.store.sql;

import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.store.merchants.CampaignTx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import static hongbao.store.sql.TxStatements.sql;

/** Campaigns' and wins' writes in SQL. */
public final class CampaignTxSql implements CampaignTx {
    private final TxStatements st;

    public CampaignTxSql(TxStatements st) {
        this.st = st;
    }

    @Override
    public boolean insertCampaign(Campaign campaign) {
        return sql(() -> {
            PreparedStatement insert = st.prepare(CampaignRows.INSERT_CAMPAIGN);
            CampaignRows.bindCampaign(insert, campaign);
            return insert.executeUpdate() == 1;
        });
    }

    @Override
    public Optional<Campaign> lockCampaign(String mchId, String campaignId) {
        return sql(() -> {
            PreparedStatement lock = st.prepare(CampaignRows.LOCK_CAMPAIGN);
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
            PreparedStatement query = st.prepare(CampaignRows.SELECT_WIN);
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
            PreparedStatement insert = st.prepare(CampaignRows.INSERT_WIN);
            CampaignRows.bindWin(insert, win);
            if (insert.executeUpdate() == 0) {
                return false;
            }
            PreparedStatement reserve = st.prepare(CampaignRows.RESERVE);
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
            PreparedStatement update = st.prepare(CampaignRows.MARK_PAID);
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
}
