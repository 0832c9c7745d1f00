package hongbao.store.records;

/** The first answer given to an idempotent request, replayed as it was. */
public record StoredAnswer(String requestHash, int status, String body) {
}
