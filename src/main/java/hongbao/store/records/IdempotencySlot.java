package hongbao.store.records;

/** Where the first answer to an idempotent request is kept: per caller scope and key, with the request's hash. */
public record IdempotencySlot(String scope, String key, String requestHash) {
}
