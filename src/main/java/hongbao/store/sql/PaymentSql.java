package hongbao.store.sql;

import hongbao.domain.PacketStatus;
import hongbao.domain.PayStatus;
import hongbao.store.payments.PaymentReads;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.payments.RefundDue;
import java.time.Instant;
import java.util.List;

/** Third-party payments' reads in SQL. */
public final class PaymentSql implements PaymentReads {
    private final SqlReader reader;

    public PaymentSql(SqlReader reader) {
        this.reader = reader;
    }

    @Override
    public List<ReconcileJob> dueJobs(Instant now, int limit) {
        return reader.query("SELECT packet_id, pass, due_ms FROM reconcile_jobs WHERE due_ms <= ? ORDER BY due_ms LIMIT ?", st -> {
            st.setLong(1, now.toEpochMilli());
            st.setInt(2, limit);
        }, rs -> new ReconcileJob(rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3))));
    }

    @Override
    public List<Long> awaitingPaymentSince(Instant cutoff, int limit) {
        return reader.query("SELECT packet_id FROM packets WHERE pay_status <> ? AND status <> ? AND created_ms <= ? "
                + "ORDER BY created_ms LIMIT ?", st -> {
                    st.setInt(1, PayStatus.SERVER_CONFIRMED.code());
                    st.setString(2, PacketStatus.CANCELLED.name());
                    st.setLong(3, cutoff.toEpochMilli());
                    st.setInt(4, limit);
                }, rs -> rs.getLong(1));
    }

    @Override
    public long countAwaitingPayment() {
        return reader.query("SELECT COUNT(*) FROM packets WHERE pay_status <> ? AND status <> ?", st -> {
            st.setInt(1, PayStatus.SERVER_CONFIRMED.code());
            st.setString(2, PacketStatus.CANCELLED.name());
        }, rs -> rs.getLong(1)).getFirst();
    }

    @Override
    public long countRefundsDue() {
        return reader.query("SELECT COUNT(*) FROM refunds_due", st -> { }, rs -> rs.getLong(1)).getFirst();
    }

    @Override
    public List<RefundDue> refundsDue(int limit) {
        return reader.query("SELECT payment_id, packet_id, amount, reason, at_ms FROM refunds_due ORDER BY at_ms DESC LIMIT ?",
                st -> st.setInt(1, limit), rs -> new RefundDue(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        rs.getString(4), Instant.ofEpochMilli(rs.getLong(5))));
    }
}
