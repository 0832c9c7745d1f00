package hongbao.app;

import hongbao.domain.Merchant;
import hongbao.store.OpenidBinding;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Merchants and openid bindings held in memory, so that a merchant request costs no query to find its key or its
 * receiver. Filled from SET 0 (where they are kept) on start and updated by {@link MerchantAccounts} after each commit.
 */
public final class MerchantDirectory {
    private final Map<String, Merchant> merchants = new ConcurrentHashMap<>();
    /** wxappid → openid → user id, and back. */
    private final Map<String, Map<String, String>> usersByOpenid = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> openidsByUser = new ConcurrentHashMap<>();

    public MerchantDirectory(StoreSets sets) {
        Store home = home(sets);
        home.merchants().forEach(this::merchantCreated);
        home.openidBindings().forEach(this::bound);
    }

    /** The SET merchants and their openid bindings are kept in: SET 0, so that every node finds them in one place. */
    static Store home(StoreSets sets) {
        return sets.set(0);
    }

    public Optional<Merchant> merchant(String mchId) {
        return Optional.ofNullable(merchants.get(mchId));
    }

    public Optional<String> userOf(String wxappid, String openid) {
        return Optional.ofNullable(usersByOpenid.getOrDefault(wxappid, Map.of()).get(openid));
    }

    public Optional<String> openidOf(String wxappid, String userId) {
        return Optional.ofNullable(openidsByUser.getOrDefault(wxappid, Map.of()).get(userId));
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
