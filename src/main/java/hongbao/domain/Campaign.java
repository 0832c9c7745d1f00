package hongbao.domain;

import java.time.Instant;

/**
 * A merchant's one-win-per-user campaign: a budget (fen) paid out in wins of {@code amountMin..amountMax} fen each,
 * drawn with a chance of {@code winPermille}/1000 per entry between {@code startsAt} and {@code endsAt}. {@code reserved}
 * is what the wins so far were promised, {@code wins} how many there are; both as of the read.
 */
public record Campaign(String mchId, String campaignId, String name, String wishing, long budget, long amountMin,
        long amountMax, int winPermille, Instant startsAt, Instant endsAt, long reserved, int wins, Instant createdAt) {

    public long remaining() {
        return budget - reserved;
    }

    /** The same terms, whatever has happened since: for an idempotent create. */
    public boolean sameTermsAs(Campaign other) {
        return mchId.equals(other.mchId) && campaignId.equals(other.campaignId) && name.equals(other.name)
                && wishing.equals(other.wishing) && budget == other.budget && amountMin == other.amountMin
                && amountMax == other.amountMax && winPermille == other.winPermille && startsAt.equals(other.startsAt)
                && endsAt.equals(other.endsAt);
    }

    /** The campaign after one more win of this amount. */
    public Campaign withWin(long amount) {
        return new Campaign(mchId, campaignId, name, wishing, budget, amountMin, amountMax, winPermille, startsAt, endsAt,
                reserved + amount, wins + 1, createdAt);
    }

    /** Where idempotent answers of this campaign's packets are kept; the key is the winner's user id. */
    public static String answerScope(String mchId, String campaignId) {
        return "campaign:" + mchId + "/" + campaignId;
    }
}
