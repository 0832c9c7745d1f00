package hongbao.http;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import hongbao.store.records.IdempotencySlot;
import hongbao.store.Store;
import hongbao.store.StoreException;
import hongbao.store.StoreSets;
import hongbao.store.records.StoredAnswer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotency-Key handling: the same key from the same caller with the same request replays the first successful
 * answer; with another request it is 409 IDEMPOTENCY_CONFLICT. Only 2xx answers are remembered, so a refused
 * request may be retried with the same key once the reason is gone.
 */
final class IdempotencyGuard {
    private static final Logger log = LoggerFactory.getLogger(IdempotencyGuard.class);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,64}");

    private final StoreSets sets;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    IdempotencyGuard(StoreSets sets) {
        this.sets = sets;
    }

    /**
     * @param storesItself true when the action saves its answer in its own transaction (given the slot)
     */
    Answer run(Exchange exchange, String caller, boolean storesItself, Function<Optional<IdempotencySlot>, Answer> action) {
        return run(exchange, caller, storesItself, "", action);
    }

    /**
     * @param variant what else than the body makes the request this one (a query parameter that shapes the answer),
     *                "" for nothing: the same key with another variant is another request, 409 IDEMPOTENCY_CONFLICT,
     *                rather than a replay of an answer of another shape
     */
    Answer run(Exchange exchange, String caller, boolean storesItself, String variant,
            Function<Optional<IdempotencySlot>, Answer> action) {
        Optional<String> key = exchange.header("Idempotency-Key");
        if (key.isEmpty()) {
            return action.apply(Optional.empty());
        }
        if (!KEY.matcher(key.get()).matches()) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, "Idempotency-Key must be 1-64 visible ASCII characters");
        }
        IdempotencySlot slot = new IdempotencySlot(caller + " " + exchange.method() + " " + exchange.path(), key.get(),
                hash(exchange.body(), variant));
        // The caller's own SET: where a send (whose packet lives in its sender's SET) stores its answer too.
        Store store = sets.forUser(caller);
        Optional<Answer> replay = replay(store, slot);
        if (replay.isPresent()) {
            return replay.get();
        }
        String lock = slot.scope() + "\n" + slot.key();
        if (!inFlight.add(lock)) {
            throw new Rejection(ErrorCode.IDEMPOTENCY_CONFLICT, "a request with this Idempotency-Key is in progress");
        }
        try {
            Optional<Answer> raced = replay(store, slot);
            if (raced.isPresent()) {
                return raced.get();
            }
            Answer answer = action.apply(Optional.of(slot));
            if (!storesItself && answer.status() / 100 == 2) {
                remember(store, slot, answer);
            }
            return answer;
        } finally {
            inFlight.remove(lock);
        }
    }

    /**
     * The request took effect, so its answer is the success whether or not it can be remembered: answering 503 ("nothing
     * applied") would be a lie. Without the saved answer a retry with the key runs the action again, which each such
     * action answers from what it already did (an open from its claim, a deposit from its reference).
     */
    private static void remember(Store store, IdempotencySlot slot, Answer answer) {
        try {
            store.writeShared(tx -> {
                tx.saveAnswer(slot, new StoredAnswer(slot.requestHash(), answer.status(), answer.body()));
                return null;
            });
        } catch (StoreException notRemembered) {
            log.warn("answered {} for Idempotency-Key {} of {} without remembering it; a retry is answered from what it did",
                    answer.status(), slot.key(), slot.scope(), notRemembered);
        }
    }

    private static Optional<Answer> replay(Store store, IdempotencySlot slot) {
        return store.answer(slot.scope(), slot.key()).map(stored -> {
            if (!stored.requestHash().equals(slot.requestHash())) {
                throw new Rejection(ErrorCode.IDEMPOTENCY_CONFLICT, "this Idempotency-Key was used with another request");
            }
            return new Answer(stored.status(), stored.body());
        });
    }

    /** Without a variant, the body's hash alone: answers stored before variants existed still replay. */
    private static String hash(byte[] body, String variant) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(body);
            if (!variant.isEmpty()) {
                digest.update(("\n?" + variant).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
