package hongbao.store.merchants;

import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import java.time.Instant;

/** Merchants, their openid bindings, bills and daily send quotas inside one transaction. */
public interface MerchantTx {
    /** False if the mch_id exists already. */
    boolean insertMerchant(Merchant merchant, Instant at);

    /** Binds an app's openid to a user; false, writing nothing, if the openid or the user is bound already. */
    boolean bindOpenid(OpenidBinding binding);

    /** Records a bill, or the bill's new attempt (its packet, quota day and failure; its request stays as first recorded). */
    void saveBill(RedpackBill bill);

    /** Counts one more packet from the merchant to the user on that day; false, changing nothing, at the limit. */
    boolean takeDailySend(String mchId, String userId, String day, int limit);

    /** Gives back a counted packet that was not sent. */
    void returnDailySend(String mchId, String userId, String day);
}
