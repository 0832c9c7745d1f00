package hongbao.store.sql;

import hongbao.store.records.AnswerTx;
import hongbao.store.records.IdempotencySlot;
import hongbao.store.records.StoredAnswer;
import java.sql.PreparedStatement;
import static hongbao.store.sql.TxStatements.sql;

/** Remembered answers' writes in SQL. */
public final class AnswerTxSql implements AnswerTx {
    private final TxStatements st;

    public AnswerTxSql(TxStatements st) {
        this.st = st;
    }

    @Override
    public void saveAnswer(IdempotencySlot slot, StoredAnswer answer) {
        sql(() -> {
            PreparedStatement insert = st.prepare(
                    "INSERT INTO idempotency (scope, idem_key, request_hash, status, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            insert.setString(1, slot.scope());
            insert.setString(2, slot.key());
            insert.setString(3, slot.requestHash());
            insert.setInt(4, answer.status());
            insert.setString(5, answer.body());
            insert.executeUpdate();
            return null;
        });
    }
}
