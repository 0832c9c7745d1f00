package hongbao.store.sql;

import hongbao.store.payments.PaymentTx;
import hongbao.store.payments.ReconcileJob;
import hongbao.store.payments.RefundDue;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import static hongbao.store.sql.TxStatements.sql;

/** Third-party payments' writes in SQL: the reconciler's passes and refunds owed. */
public final class PaymentTxSql implements PaymentTx {
    private final TxStatements st;

    public PaymentTxSql(TxStatements st) {
        this.st = st;
    }

    @Override
    public void insertJob(ReconcileJob job) {
        sql(() -> {
            PreparedStatement insert = st.prepare("INSERT INTO reconcile_jobs (packet_id, pass, due_ms) VALUES (?, ?, ?) "
                    + "ON CONFLICT DO NOTHING");
            insert.setLong(1, job.packetId());
            insert.setInt(2, job.pass());
            insert.setLong(3, job.due().toEpochMilli());
            insert.executeUpdate();
            return null;
        });
    }

    @Override
    public void deleteJob(ReconcileJob job) {
        sql(() -> {
            PreparedStatement delete = st.prepare("DELETE FROM reconcile_jobs WHERE packet_id = ? AND pass = ?");
            delete.setLong(1, job.packetId());
            delete.setInt(2, job.pass());
            if (delete.executeUpdate() != 1) {
                throw new SQLException("reconcile job " + job + " was already done");
            }
            return null;
        });
    }

    @Override
    public void insertRefundDue(RefundDue refund) {
        sql(() -> {
            PreparedStatement insert = st.prepare("INSERT INTO refunds_due (payment_id, packet_id, amount, reason, at_ms) "
                    + "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, refund.paymentId());
            insert.setLong(2, refund.packetId());
            insert.setLong(3, refund.amount());
            insert.setString(4, refund.reason());
            insert.setLong(5, refund.at().toEpochMilli());
            insert.executeUpdate();
            return null;
        });
    }
}
