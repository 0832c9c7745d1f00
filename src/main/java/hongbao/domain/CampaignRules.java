package hongbao.domain;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * A campaign's terms and its draw. The budget is paid out exactly: every win leaves a remainder that later wins of
 * {@code amountMin..amountMax} can still add up to, so the last win empties the budget to the fen.
 */
public final class CampaignRules {
    private CampaignRules() {
    }

    /** Checks a new campaign's terms; a refusal names the broken rule (API v1 codes: these come in as JSON). */
    public static void validate(Campaign campaign, MerchantLimits limits) {
        if (campaign.wishing().isBlank() || campaign.wishing().codePointCount(0, campaign.wishing().length())
                > MerchantLimits.MAX_WISHING) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "wishing is required, at most " + MerchantLimits.MAX_WISHING
                    + " characters");
        }
        if (campaign.amountMin() < limits.minAmount() || campaign.amountMax() > limits.maxAmount()
                || campaign.amountMin() > campaign.amountMax()) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "amountMin <= amountMax must both be within the merchant range "
                    + limits.minAmount() + "-" + limits.maxAmount() + " fen");
        }
        if (campaign.budget() < 1 || !payableExactly(campaign.budget(), campaign.amountMin(), campaign.amountMax())) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "budget must be a sum of wins of " + campaign.amountMin() + "-"
                    + campaign.amountMax() + " fen (with a fixed amount: a multiple of it)");
        }
        if (campaign.winPermille() < 1 || campaign.winPermille() > 1000) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "winPermille must be 1-1000");
        }
        if (!campaign.startsAt().isBefore(campaign.endsAt())) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "startsAt must be before endsAt");
        }
    }

    /** Why nobody can enter now, if nobody can. */
    public static Optional<EntryOutcome> closed(Campaign campaign, Instant now) {
        if (now.isBefore(campaign.startsAt())) {
            return Optional.of(EntryOutcome.NOT_STARTED);
        }
        return now.isBefore(campaign.endsAt()) ? Optional.empty() : Optional.of(EntryOutcome.ENDED);
    }

    /** One entry's chance: true with probability winPermille / 1000. */
    public static boolean drawsWin(Campaign campaign, RandomGenerator random) {
        return random.nextInt(1000) < campaign.winPermille();
    }

    /**
     * The amount of the next win, or empty when the budget is all promised. Uniform in {@code min..max} where that
     * leaves a payable remainder; otherwise the nearest amount that does (there always is one while the remaining
     * budget is itself payable, which every draw keeps true).
     */
    public static OptionalLong drawAmount(long remaining, long min, long max, RandomGenerator random) {
        if (remaining == 0) {
            return OptionalLong.empty();
        }
        if (!payableExactly(remaining, min, max)) {
            throw new IllegalStateException(remaining + " fen cannot be paid in wins of " + min + "-" + max);
        }
        long highest = Math.min(max, remaining);
        long amount = min + random.nextLong(highest - min + 1);
        long left = remaining - amount;
        if (payableExactly(left, min, max)) {
            return OptionalLong.of(amount);
        }
        // left lies in a gap between k*max and (k+1)*min: move to either end of it, whichever is a possible amount.
        long k = left / max;
        long upToGapStart = remaining - k * max;
        long downToGapEnd = remaining - (k + 1) * min;
        boolean upFits = upToGapStart <= highest;
        boolean downFits = downToGapEnd >= min;
        if (upFits && (!downFits || random.nextBoolean())) {
            return OptionalLong.of(upToGapStart);
        }
        if (downFits) {
            return OptionalLong.of(downToGapEnd);
        }
        throw new IllegalStateException("no payable amount for " + remaining + " in " + min + "-" + max);
    }

    /** True when some number of wins of {@code min..max} fen adds up to exactly {@code amount} (0 = no wins). */
    public static boolean payableExactly(long amount, long min, long max) {
        if (amount == 0) {
            return true;
        }
        // The fewest wins that can reach the amount; more wins only raise the smallest sum they can make.
        long wins = Math.ceilDiv(amount, max);
        return Math.multiplyHigh(wins, min) == 0 && wins * min <= amount;
    }
}
