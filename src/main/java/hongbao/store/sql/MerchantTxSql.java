package hongbao.store.sql;

import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import hongbao.store.merchants.MerchantTx;
import hongbao.store.merchants.OpenidBinding;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import static hongbao.store.sql.TxStatements.sql;

/** Merchants', openid bindings', bills' and daily quotas' writes in SQL. */
public final class MerchantTxSql implements MerchantTx {
    private final TxStatements st;

    public MerchantTxSql(TxStatements st) {
        this.st = st;
    }

    @Override
    public boolean insertMerchant(Merchant merchant, Instant at) {
        return sql(() -> {
            PreparedStatement insert = st.prepare(MerchantRows.INSERT_MERCHANT);
            insert.setString(1, merchant.mchId());
            insert.setString(2, merchant.name());
            insert.setString(3, merchant.apiKey());
            insert.setString(4, merchant.wxappid());
            insert.setLong(5, at.toEpochMilli());
            return insert.executeUpdate() == 1;
        });
    }

    @Override
    public boolean bindOpenid(OpenidBinding binding) {
        return sql(() -> {
            PreparedStatement insert = st.prepare(MerchantRows.INSERT_BINDING);
            insert.setString(1, binding.wxappid());
            insert.setString(2, binding.openid());
            insert.setString(3, binding.userId());
            return insert.executeUpdate() == 1;
        });
    }

    @Override
    public void saveBill(RedpackBill bill) {
        sql(() -> {
            PreparedStatement upsert = st.prepare(MerchantRows.UPSERT_BILL);
            MerchantRows.bindBill(upsert, bill);
            upsert.executeUpdate();
            return null;
        });
    }

    @Override
    public boolean takeDailySend(String mchId, String userId, String day, int limit) {
        return sql(() -> {
            PreparedStatement upsert = st.prepare(MerchantRows.TAKE_DAILY_SEND);
            upsert.setString(1, mchId);
            upsert.setString(2, userId);
            upsert.setString(3, day);
            upsert.setInt(4, limit);
            return upsert.executeUpdate() == 1;
        });
    }

    @Override
    public void returnDailySend(String mchId, String userId, String day) {
        sql(() -> {
            PreparedStatement update = st.prepare(MerchantRows.RETURN_DAILY_SEND);
            update.setString(1, mchId);
            update.setString(2, userId);
            update.setString(3, day);
            if (update.executeUpdate() != 1) {
                throw new SQLException("no send of " + mchId + " to " + userId + " on " + day + " to give back");
            }
            return null;
        });
    }
}
