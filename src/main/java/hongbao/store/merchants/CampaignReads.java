package hongbao.store.merchants;

import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import java.util.List;
import java.util.Optional;

/** Merchants' campaigns and their wins. */
public interface CampaignReads {
    Optional<Campaign> campaign(String mchId, String campaignId);

    CampaignTotals campaignTotals(String mchId, String campaignId);

    /** A campaign's wins by user id, strictly after the cursor (a user id) when given. */
    List<CampaignWin> campaignWins(String mchId, String campaignId, String afterUserId, int limit);

    /** Campaigns of this SET with wins whose packet is still to be sent. */
    List<Campaign> campaignsWithPendingWins();

    /** A campaign's wins whose packet is still to be sent, oldest first. */
    List<CampaignWin> pendingWins(String mchId, String campaignId, int limit);
}
