package hongbao.store.sql;

import hongbao.store.merchants.OpenidBinding;

import hongbao.domain.HbType;
import hongbao.domain.Merchant;
import hongbao.domain.MerchantError;
import hongbao.domain.RedpackBill;
import hongbao.domain.RedpackOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** The SQL of the merchant tables, and their rows mapped to domain values and back. */
final class MerchantRows {
    static final String SELECT_MERCHANTS = "SELECT mch_id, name, api_key, wxappid FROM merchants";
    static final String INSERT_MERCHANT = "INSERT INTO merchants (mch_id, name, api_key, wxappid, created_ms) "
            + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    static final String SELECT_BINDINGS = "SELECT wxappid, openid, user_id FROM merchant_openids";
    /** Does nothing if the openid, or the user, is bound already: both are unique per app. */
    static final String INSERT_BINDING = "INSERT INTO merchant_openids (wxappid, openid, user_id) VALUES (?, ?, ?) "
            + "ON CONFLICT DO NOTHING";
    private static final String BILL_COLUMNS = "mch_id, mch_billno, request_hash, hb_type, re_openid, user_id, "
            + "total_amount, total_num, send_name, wishing, act_name, remark, packet_id, quota_day, failure, "
            + "failure_reason, created_ms";
    static final String SELECT_BILL_BY_KEY = "SELECT " + BILL_COLUMNS + " FROM merchant_bills WHERE mch_id = ? AND mch_billno = ?";
    static final String UPSERT_BILL = "INSERT INTO merchant_bills (" + BILL_COLUMNS + ") VALUES "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mch_id, mch_billno) DO UPDATE SET "
            + "packet_id = excluded.packet_id, quota_day = excluded.quota_day, failure = excluded.failure, "
            + "failure_reason = excluded.failure_reason";
    /** Counts a send unless the user already has the day's most: one guarded statement, no check-then-insert. */
    static final String TAKE_DAILY_SEND = "INSERT INTO merchant_daily_sends (mch_id, user_id, day, sends) VALUES (?, ?, ?, 1) "
            + "ON CONFLICT (mch_id, user_id, day) DO UPDATE SET sends = merchant_daily_sends.sends + 1 "
            + "WHERE merchant_daily_sends.sends < ?";
    static final String RETURN_DAILY_SEND = "UPDATE merchant_daily_sends SET sends = sends - 1 "
            + "WHERE mch_id = ? AND user_id = ? AND day = ? AND sends > 0";

    private MerchantRows() {
    }

    static Merchant merchant(ResultSet rs) throws SQLException {
        return new Merchant(rs.getString("mch_id"), rs.getString("name"), rs.getString("api_key"), rs.getString("wxappid"));
    }

    static OpenidBinding binding(ResultSet rs) throws SQLException {
        return new OpenidBinding(rs.getString("wxappid"), rs.getString("openid"), rs.getString("user_id"));
    }

    static RedpackBill bill(ResultSet rs) throws SQLException {
        // scene_id is checked but not kept: it only tells WeChat's risk control what the money is for.
        RedpackOrder order = new RedpackOrder(HbType.valueOf(rs.getString("hb_type")), rs.getString("mch_billno"),
                rs.getString("re_openid"), rs.getLong("total_amount"), rs.getInt("total_num"), rs.getString("send_name"),
                rs.getString("wishing"), rs.getString("act_name"), rs.getString("remark"), "");
        String failure = rs.getString("failure");
        return new RedpackBill(rs.getString("mch_id"), order, rs.getString("request_hash"), rs.getString("user_id"),
                rs.getLong("packet_id"), rs.getString("quota_day"), failure == null ? null : MerchantError.valueOf(failure),
                rs.getString("failure_reason"), Instant.ofEpochMilli(rs.getLong("created_ms")));
    }

    static void bindBill(PreparedStatement upsert, RedpackBill bill) throws SQLException {
        RedpackOrder order = bill.order();
        upsert.setString(1, bill.mchId());
        upsert.setString(2, order.billno());
        upsert.setString(3, bill.requestHash());
        upsert.setString(4, order.type().name());
        upsert.setString(5, order.openid());
        upsert.setString(6, bill.userId());
        upsert.setLong(7, order.totalAmount());
        upsert.setInt(8, order.totalNum());
        upsert.setString(9, order.sendName());
        upsert.setString(10, order.wishing());
        upsert.setString(11, order.actName());
        upsert.setString(12, order.remark());
        upsert.setLong(13, bill.packetId());
        upsert.setString(14, bill.quotaDay());
        upsert.setString(15, bill.failure() == null ? null : bill.failure().name());
        upsert.setString(16, bill.failureReason());
        upsert.setLong(17, bill.createdAt().toEpochMilli());
    }
}
