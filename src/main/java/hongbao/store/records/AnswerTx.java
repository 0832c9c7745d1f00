package hongbao.store.records;

/** Answers remembered for idempotent retries, inside one transaction. */
public interface AnswerTx {
    void saveAnswer(IdempotencySlot slot, StoredAnswer answer);
}
