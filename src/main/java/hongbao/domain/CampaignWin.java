package hongbao.domain;

import java.time.Instant;

/** A user's one win of a campaign: PENDING until the dispatcher's packet commits, then PAID with that packet. */
public record CampaignWin(String mchId, String campaignId, String userId, long amount, State state, Long packetId,
        Instant createdAt, Instant paidAt) {

    public enum State {
        PENDING,
        PAID
    }

    public static CampaignWin pending(Campaign campaign, String userId, long amount, Instant at) {
        return new CampaignWin(campaign.mchId(), campaign.campaignId(), userId, amount, State.PENDING, null, at, null);
    }
}
