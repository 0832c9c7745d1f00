package hongbao.app;

import hongbao.domain.ErrorCode;
import hongbao.domain.Merchant;
import hongbao.domain.RedpackRules;
import hongbao.domain.Rejection;
import hongbao.store.merchants.OpenidBinding;
import hongbao.store.StoreSets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The admin side of merchants: creating them with their wallet users, and binding their app's openids to users. */
public final class MerchantAccounts {
    /** A body of this many bindings stays well under the default body cap; more take several calls. */
    public static final int MAX_BINDINGS_PER_CALL = 1000;

    private final StoreSets sets;
    private final MerchantDirectory merchants;
    private final AccountService accounts;
    private final Clock clock;

    public MerchantAccounts(StoreSets sets, MerchantDirectory merchants, AccountService accounts, Clock clock) {
        this.sets = sets;
        this.merchants = merchants;
        this.accounts = accounts;
        this.clock = clock;
    }

    /**
     * Creates the merchant and its wallet user ({@link Merchant#walletUserId}). The wallet user comes first: a crash in
     * between leaves a user without a merchant, which a retry completes.
     *
     * @return true if created, false if it existed with exactly these values
     */
    public synchronized boolean create(Merchant merchant) {
        Optional<Merchant> existing = merchants.merchant(merchant.mchId());
        if (existing.isPresent()) {
            if (!existing.get().sameAs(merchant)) {
                throw new Rejection(ErrorCode.ALREADY_EXISTS, "merchant " + merchant.mchId() + " exists with other values");
            }
            return false;
        }
        accounts.createUser(merchant.walletUserId(), merchant.name());
        boolean inserted = MerchantDirectory.home(sets).write(tx -> tx.insertMerchant(merchant, clock.instant()));
        if (!inserted) {
            throw new IllegalStateException("merchant " + merchant.mchId() + " is in the store but was not in memory");
        }
        merchants.merchantCreated(merchant);
        return true;
    }

    public Merchant require(String mchId) {
        if (!Merchant.isMchId(mchId)) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "mchId must be 1-20 characters of 0-9 A-Z a-z");
        }
        return merchants.merchant(mchId).orElseThrow(() -> new Rejection(ErrorCode.NOT_FOUND, "no merchant " + mchId));
    }

    /**
     * Binds openids of the merchant's app to existing users, all or none. Binding an openid to the user it is bound to
     * already changes nothing; binding it to another user, or a user to a second openid of the app, is refused.
     *
     * @param openidToUser openid → user id
     * @return how many bindings are new
     */
    public synchronized int bind(String mchId, Map<String, String> openidToUser) {
        Merchant merchant = require(mchId);
        if (openidToUser.isEmpty() || openidToUser.size() > MAX_BINDINGS_PER_CALL) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, "1-" + MAX_BINDINGS_PER_CALL + " bindings per call");
        }
        List<OpenidBinding> fresh = new ArrayList<>();
        Map<String, String> usersInCall = new HashMap<>();
        for (Map.Entry<String, String> pair : openidToUser.entrySet()) {
            OpenidBinding binding = new OpenidBinding(merchant.wxappid(), requireOpenid(pair.getKey()), pair.getValue());
            accounts.requireUser(binding.userId());
            String otherOpenid = usersInCall.put(binding.userId(), binding.openid());
            if (otherOpenid != null) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, "user " + binding.userId() + " appears with two openids");
            }
            if (isNew(binding)) {
                fresh.add(binding);
            }
        }
        if (!fresh.isEmpty()) {
            MerchantDirectory.home(sets).write(tx -> {
                for (OpenidBinding binding : fresh) {
                    // The table's unique keys are the guard; the directory check above only words the refusal.
                    if (!tx.bindOpenid(binding)) {
                        throw new Rejection(ErrorCode.ALREADY_EXISTS, "openid " + binding.openid() + " or user "
                                + binding.userId() + " is bound already");
                    }
                }
                return null;
            });
            fresh.forEach(merchants::bound);
        }
        return fresh.size();
    }

    private boolean isNew(OpenidBinding binding) {
        Optional<String> user = merchants.userOf(binding.wxappid(), binding.openid());
        Optional<String> openid = merchants.openidOf(binding.wxappid(), binding.userId());
        if (user.isEmpty() && openid.isEmpty()) {
            return true;
        }
        if (user.filter(binding.userId()::equals).isPresent() && openid.filter(binding.openid()::equals).isPresent()) {
            return false;
        }
        throw new Rejection(ErrorCode.ALREADY_EXISTS, user.isPresent()
                ? "openid " + binding.openid() + " is bound to another user"
                : "user " + binding.userId() + " is bound to another openid of " + binding.wxappid());
    }

    private static String requireOpenid(String openid) {
        if (!RedpackRules.isOpenid(openid)) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "openid must be 1-64 characters of 0-9 A-Z a-z _ -");
        }
        return openid;
    }
}
