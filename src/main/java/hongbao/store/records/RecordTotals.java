package hongbao.store.records;

/** How many records a range holds, and the sum of their amounts in fen. */
public record RecordTotals(long count, long amount) {
    public static final RecordTotals NONE = new RecordTotals(0, 0);

    public RecordTotals plus(RecordTotals other) {
        return new RecordTotals(count + other.count, amount + other.amount);
    }
}
