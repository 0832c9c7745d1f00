package hongbao.app;

import hongbao.domain.Merchant;
import hongbao.store.NotOwnedHere;
import hongbao.store.merchants.OpenidBinding;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Merchants and openid bindings held in memory, so that a merchant request costs no query to find its key or its
 * receiver. Filled from SET 0 (where they are kept) on start and updated by {@link MerchantAccounts} after each commit.
 * In a cluster only SET 0's owner holds them all: every merchant change is made there, and another node asked for a
 * binding throws {@link NotOwnedHere} so that the request is passed to it. Merchants themselves (few) are read again
 * from SET 0 when one is missing, for the campaign dispatcher of every node.
 */
public final class MerchantDirectory {
    private static final int HOME_SET = 0;
    private final Store home;
    private final boolean homeOwned;
    private final Map<String, Merchant> merchants = new ConcurrentHashMap<>();
    /** wxappid → openid → user id, and back. */
    private final Map<String, Map<String, String>> usersByOpenid = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> openidsByUser = new ConcurrentHashMap<>();

    public MerchantDirectory(StoreSets sets) {
        this.home = home(sets);
        this.homeOwned = sets.ownership().owns(HOME_SET);
        home.merchants().forEach(this::merchantCreated);
        if (homeOwned) {
            home.openidBindings().forEach(this::bound);
        }
    }

    /** The SET merchants and their openid bindings are kept in: SET 0, so that every node finds them in one place. */
    static Store home(StoreSets sets) {
        return sets.set(HOME_SET);
    }

    public Optional<Merchant> merchant(String mchId) {
        Merchant known = merchants.get(mchId);
        if (known == null && !homeOwned) {
            home.merchants().forEach(this::merchantCreated);
            known = merchants.get(mchId);
        }
        return Optional.ofNullable(known);
    }

    public Optional<String> userOf(String wxappid, String openid) {
        requireHome();
        return Optional.ofNullable(usersByOpenid.getOrDefault(wxappid, Map.of()).get(openid));
    }

    public Optional<String> openidOf(String wxappid, String userId) {
        requireHome();
        return Optional.ofNullable(openidsByUser.getOrDefault(wxappid, Map.of()).get(userId));
    }

    private void requireHome() {
        if (!homeOwned) {
            throw new NotOwnedHere(HOME_SET);
        }
    }

    void merchantCreated(Merchant merchant) {
        merchants.put(merchant.mchId(), merchant);
    }

    void bound(OpenidBinding binding) {
        openidsByUser.computeIfAbsent(binding.wxappid(), app -> new ConcurrentHashMap<>())
                .put(binding.userId(), binding.openid());
        usersByOpenid.computeIfAbsent(binding.wxappid(), app -> new ConcurrentHashMap<>())
                .put(binding.openid(), binding.userId());
    }
}
