package hongbao.store.merchants;

import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Merchants of the merchant API, their openid bindings and bills. */
public interface MerchantReads {
    /** Merchants of the merchant API (kept in SET 0). */
    List<Merchant> merchants();

    /** Openids bound to users (kept in SET 0). */
    List<OpenidBinding> openidBindings();

    /** A merchant's bill (in the SET of the merchant's wallet). */
    Optional<RedpackBill> bill(String mchId, String billno);

    /** The send_name of the merchant bills that sent these packets (of this SET), by packet id; others are absent. */
    Map<Long, String> sendNames(Collection<Long> packetIds);
}
