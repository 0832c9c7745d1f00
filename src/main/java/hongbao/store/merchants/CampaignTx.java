package hongbao.store.merchants;

import hongbao.domain.Campaign;
import hongbao.domain.CampaignWin;
import java.time.Instant;
import java.util.Optional;

/** Campaigns and their wins inside one transaction. */
public interface CampaignTx {
    /** False if the merchant has a campaign with this id already. */
    boolean insertCampaign(Campaign campaign);

    /** The campaign as it is now, locked for the rest of the transaction (entries draw from its remainder in turn). */
    Optional<Campaign> lockCampaign(String mchId, String campaignId);

    Optional<CampaignWin> campaignWin(String mchId, String campaignId, String userId);

    /**
     * Records a win and reserves its amount from the campaign's budget, together; false, writing nothing, if the user
     * has won this campaign already (the table's primary key decides, not an earlier read). Throws if the amount does
     * not fit the remaining budget, which would mean the caller drew it from a stale remainder.
     */
    boolean insertWin(CampaignWin win);

    /** Marks a pending win paid by this packet; throws if it is not pending, which would mean a second payment. */
    void markWinPaid(CampaignWin win, long packetId, Instant at);
}
