package hongbao.store.sql;

import hongbao.domain.Merchant;
import hongbao.domain.RedpackBill;
import hongbao.store.merchants.MerchantReads;
import hongbao.store.merchants.OpenidBinding;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Merchants, openid bindings and bills in SQL. */
public final class MerchantSql implements MerchantReads {
    private final SqlReader reader;

    public MerchantSql(SqlReader reader) {
        this.reader = reader;
    }

    @Override
    public List<Merchant> merchants() {
        return reader.query(MerchantRows.SELECT_MERCHANTS, st -> { }, MerchantRows::merchant);
    }

    @Override
    public List<OpenidBinding> openidBindings() {
        return reader.query(MerchantRows.SELECT_BINDINGS, st -> { }, MerchantRows::binding);
    }

    @Override
    public Optional<RedpackBill> bill(String mchId, String billno) {
        return reader.query(MerchantRows.SELECT_BILL_BY_KEY, st -> {
            st.setString(1, mchId);
            st.setString(2, billno);
        }, MerchantRows::bill).stream().findFirst();
    }

    @Override
    public Map<Long, String> sendNames(Collection<Long> packetIds) {
        if (packetIds.isEmpty()) {
            return Map.of();
        }
        StringBuilder in = new StringBuilder();
        for (long id : packetIds) {
            in.append(in.isEmpty() ? "" : ",").append(id);
        }
        Map<Long, String> names = new HashMap<>();
        // merchant_bills_by_packet: a bill's packet is the one of its latest attempt, so one bill per packet.
        reader.query("SELECT packet_id, send_name FROM merchant_bills WHERE packet_id IN (" + in + ")", st -> { },
                rs -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> names.put(e.getKey(), e.getValue()));
        return names;
    }
}
