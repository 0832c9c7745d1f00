package hongbao.store.sql;

import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import hongbao.store.merchants.CampaignReads;
import hongbao.store.merchants.CampaignTotals;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Campaigns and their wins in SQL. */
public final class CampaignSql implements CampaignReads {
    private final SqlReader reader;

    public CampaignSql(SqlReader reader) {
        this.reader = reader;
    }

    @Override
    public Optional<Campaign> campaign(String mchId, String campaignId) {
        return reader.query(CampaignRows.SELECT_CAMPAIGN, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
        }, CampaignRows::campaign).stream().findFirst();
    }

    @Override
    public CampaignTotals campaignTotals(String mchId, String campaignId) {
        Map<CampaignWin.State, long[]> byState = new HashMap<>();
        reader.query(CampaignRows.TOTALS, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
        }, rs -> byState.put(CampaignWin.State.valueOf(rs.getString(1)), new long[] {rs.getLong(2), rs.getLong(3)}));
        long[] paid = byState.getOrDefault(CampaignWin.State.PAID, new long[2]);
        long[] pending = byState.getOrDefault(CampaignWin.State.PENDING, new long[2]);
        return new CampaignTotals((int) paid[0], paid[1], (int) pending[0], pending[1]);
    }

    @Override
    public List<CampaignWin> campaignWins(String mchId, String campaignId, String afterUserId, int limit) {
        return reader.query(CampaignRows.SELECT_WINS, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
            st.setString(3, afterUserId == null ? "" : afterUserId);
            st.setInt(4, limit);
        }, CampaignRows::win);
    }

    @Override
    public List<Campaign> campaignsWithPendingWins() {
        return reader.query(CampaignRows.SELECT_WITH_PENDING, st -> { }, CampaignRows::campaign);
    }

    @Override
    public List<CampaignWin> pendingWins(String mchId, String campaignId, int limit) {
        return reader.query(CampaignRows.SELECT_PENDING, st -> {
            st.setString(1, mchId);
            st.setString(2, campaignId);
            st.setInt(3, limit);
        }, CampaignRows::win);
    }
}
