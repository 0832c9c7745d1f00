package hongbao.app;

import hongbao.domain.Campaign;
import hongbao.domain.CampaignRules;
import hongbao.domain.CampaignWin;
import hongbao.domain.EntryOutcome;
import hongbao.domain.ErrorCode;
import hongbao.domain.Merchant;
import hongbao.domain.MerchantLimits;
import hongbao.domain.RedpackRules;
import hongbao.domain.Rejection;
import hongbao.store.merchants.CampaignTotals;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * One-win-per-user campaigns: created by the merchant's admin, entered by users (through the host app's backend), won
 * at most once per user. A win reserves its amount from the budget in the transaction that records it; the
 * {@link CampaignDispatcher} pays it later. Campaigns live in the SET of the merchant's wallet.
 */
public final class CampaignService {
    public static final int MAX_ENTRIES_PER_CALL = 1000;

    private final StoreSets sets;
    private final MerchantAccounts merchantAccounts;
    private final MerchantDirectory merchants;
    private final Clock clock;
    private final MerchantLimits limits;
    private final RandomGenerator random;

    public CampaignService(StoreSets sets, MerchantAccounts merchantAccounts, MerchantDirectory merchants, Clock clock,
            MerchantLimits limits) {
        this(sets, merchantAccounts, merchants, clock, limits, new SecureRandom());
    }

    /** @param random draws wins and their amounts; a simulation passes a seeded one */
    public CampaignService(StoreSets sets, MerchantAccounts merchantAccounts, MerchantDirectory merchants, Clock clock,
            MerchantLimits limits, RandomGenerator random) {
        this.random = random;
        this.sets = sets;
        this.merchantAccounts = merchantAccounts;
        this.merchants = merchants;
        this.clock = clock;
        this.limits = limits;
    }

    /** What a merchant asks for; the campaign's counters start at zero. */
    public record Terms(String campaignId, String name, String wishing, long budget, long amountMin, long amountMax,
            int winPermille, Instant startsAt, Instant endsAt) {
    }

    /** @return the campaign, and whether this call created it (false: it existed with the same terms) */
    public Created create(String mchId, Terms terms) {
        Merchant merchant = merchantAccounts.require(mchId);
        Ids.requireId("campaignId", terms.campaignId());
        Ids.requireDisplayName("name", terms.name());
        if (terms.wishing() == null || terms.startsAt() == null || terms.endsAt() == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "wishing, startsAt and endsAt are required");
        }
        // The store keeps milliseconds; so does the campaign, or a repeated create would not find the same terms.
        Campaign campaign = new Campaign(mchId, terms.campaignId(), terms.name(), terms.wishing(), terms.budget(),
                terms.amountMin(), terms.amountMax(), terms.winPermille(), terms.startsAt().truncatedTo(ChronoUnit.MILLIS),
                terms.endsAt().truncatedTo(ChronoUnit.MILLIS), 0, 0, clock.instant());
        CampaignRules.validate(campaign, limits);
        Store store = storeOf(merchant);
        if (store.write(tx -> tx.insertCampaign(campaign))) {
            return new Created(campaign, true);
        }
        Campaign existing = store.campaign(mchId, terms.campaignId()).orElseThrow();
        if (!existing.sameTermsAs(campaign)) {
            throw new Rejection(ErrorCode.ALREADY_EXISTS, "campaign " + terms.campaignId() + " exists with other terms");
        }
        return new Created(existing, false);
    }

    public record Created(Campaign campaign, boolean isNew) {
    }

    /** One entry's outcome; {@code amount} is the win's, for WON and ALREADY_WON. */
    public record Entry(String openid, EntryOutcome outcome, Long amount) {
    }

    /**
     * Enters each openid once, in order, in one transaction. Unknown openids refuse the whole call before anything
     * changes. Each entry draws its chance; a winning draw takes its amount from what the budget has left.
     */
    public List<Entry> enter(String mchId, String campaignId, List<String> openids) {
        Merchant merchant = merchantAccounts.require(mchId);
        Ids.requireId("campaignId", campaignId);
        if (openids == null) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "openids are required");
        }
        if (openids.isEmpty() || openids.size() > MAX_ENTRIES_PER_CALL) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "1-" + MAX_ENTRIES_PER_CALL + " openids per call");
        }
        List<String> users = new ArrayList<>(openids.size());
        for (String openid : openids) {
            if (!RedpackRules.isOpenid(openid)) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "openid must be 1-64 characters of 0-9 A-Z a-z _ -");
            }
            users.add(merchants.userOf(merchant.wxappid(), openid).orElseThrow(() -> new Rejection(
                    ErrorCode.INVALID_REQUEST, "openid " + openid + " is not bound to a user")));
        }
        Instant now = clock.instant();
        return storeOf(merchant).write(tx -> {
            Campaign campaign = tx.lockCampaign(mchId, campaignId).orElseThrow(() -> noCampaign(campaignId));
            Optional<EntryOutcome> closed = CampaignRules.closed(campaign, now);
            List<Entry> entries = new ArrayList<>(openids.size());
            for (int i = 0; i < openids.size(); i++) {
                String openid = openids.get(i);
                if (closed.isPresent()) {
                    entries.add(new Entry(openid, closed.get(), null));
                    continue;
                }
                // This read only words the answer; the wins table's primary key is what makes a second win impossible.
                Optional<CampaignWin> earlier = tx.campaignWin(mchId, campaignId, users.get(i));
                if (earlier.isPresent()) {
                    entries.add(new Entry(openid, EntryOutcome.ALREADY_WON, earlier.get().amount()));
                    continue;
                }
                OptionalLong amount = draw(campaign);
                if (amount.isEmpty()) {
                    entries.add(new Entry(openid, campaign.remaining() == 0 ? EntryOutcome.BUDGET_EXHAUSTED
                            : EntryOutcome.NOT_WON, null));
                    continue;
                }
                if (!tx.insertWin(CampaignWin.pending(campaign, users.get(i), amount.getAsLong(), now))) {
                    throw new IllegalStateException("a second win of " + users.get(i) + " under the campaign's lock");
                }
                campaign = campaign.withWin(amount.getAsLong());
                entries.add(new Entry(openid, EntryOutcome.WON, amount.getAsLong()));
            }
            return entries;
        });
    }

    /** The amount this entry wins, or empty if it does not: the budget is gone or the chance said no. */
    private OptionalLong draw(Campaign campaign) {
        if (campaign.remaining() == 0) {
            return OptionalLong.empty();
        }
        synchronized (random) {
            if (!CampaignRules.drawsWin(campaign, random)) {
                return OptionalLong.empty();
            }
            return CampaignRules.drawAmount(campaign.remaining(), campaign.amountMin(), campaign.amountMax(), random);
        }
    }

    /** A campaign and its wins as they are now. */
    public record Status(Campaign campaign, CampaignTotals totals, String state) {
    }

    public Status status(String mchId, String campaignId) {
        Merchant merchant = merchantAccounts.require(mchId);
        Ids.requireId("campaignId", campaignId);
        Store store = storeOf(merchant);
        Campaign campaign = store.campaign(mchId, campaignId).orElseThrow(() -> noCampaign(campaignId));
        String state = CampaignRules.closed(campaign, clock.instant()).map(closed -> closed == EntryOutcome.NOT_STARTED
                ? "SCHEDULED" : "ENDED").orElse("OPEN");
        return new Status(campaign, store.campaignTotals(mchId, campaignId), state);
    }

    /** A page of the campaign's wins, by user id after the cursor. */
    public List<CampaignWin> wins(String mchId, String campaignId, String afterUserId, int limit) {
        Merchant merchant = merchantAccounts.require(mchId);
        Ids.requireId("campaignId", campaignId);
        if (afterUserId != null) {
            Ids.requireId("after", afterUserId);
        }
        Store store = storeOf(merchant);
        store.campaign(mchId, campaignId).orElseThrow(() -> noCampaign(campaignId));
        return store.campaignWins(mchId, campaignId, afterUserId, limit);
    }

    /** The winner's openid of the merchant's app, for answers in the merchant's terms. */
    public Optional<String> openidOf(String mchId, String userId) {
        return merchants.merchant(mchId).flatMap(m -> merchants.openidOf(m.wxappid(), userId));
    }

    private Store storeOf(Merchant merchant) {
        return sets.forUser(merchant.walletUserId());
    }

    private static Rejection noCampaign(String campaignId) {
        return new Rejection(ErrorCode.NOT_FOUND, "no campaign " + campaignId);
    }
}
