package hongbao.http;

import hongbao.domain.ErrorCode;
import hongbao.cluster.SetLease;
import hongbao.cluster.SetOwnership;
import io.helidon.http.Header;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request that needs another node's SET to that SET's owner, as the SET's lease names it, and answers with the
 * owner's answer: a proxy whose map is stale (or that cannot route by user) still gets the right answer, one hop later.
 * Each node that passes a request on adds itself to {@link #FORWARDED_BY}; a request is never passed to a node that
 * passed it before (421 WRONG_NODE), so nodes never bounce it in a loop, while a request that needs two SETs' owners
 * in turn (a merchant's send: SET 0's owner, then the wallet's) still gets there.
 */
final class OwnerForwarding {
    private static final Logger log = LoggerFactory.getLogger(OwnerForwarding.class);
    static final String FORWARDED_BY = "X-Hongbao-Forwarded-By";
    /** Who owns a SET changes only at a takeover; asked again after this long, or at once after a failed forward. */
    private static final Duration HOLDER_CACHE = Duration.ofSeconds(1);
    private static final Set<String> READS = Set.of("GET", "HEAD");
    /**
     * Hop-by-hop headers, those the client library sets itself, the chain, which is passed on extended, and the request
     * id, passed on as this node gave it.
     */
    private static final Set<String> NOT_PASSED = Set.of("connection", "content-length", "host", "keep-alive",
            "transfer-encoding", "upgrade", "expect", "te", "trailer", "proxy-connection", "http2-settings",
            FORWARDED_BY.toLowerCase(java.util.Locale.ROOT), AccessLog.REQUEST_ID.lowerCase());

    private final SetOwnership ownership;
    /** Told the SET of each request passed on, for the {@code hongbao_passed_on_total} counter. */
    private final java.util.function.IntConsumer passedOn;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Integer, Known> holders = new ConcurrentHashMap<>();

    private record Known(Optional<SetLease.Holder> holder, long untilNanos) {
    }

    OwnerForwarding(SetOwnership ownership, java.util.function.IntConsumer passedOn) {
        this.ownership = ownership;
        this.passedOn = passedOn;
    }

    Answer forward(Exchange exchange, int set) {
        Optional<SetLease.Holder> holder = holder(set).filter(h -> h.live() && !h.node().equals(ownership.node()));
        if (holder.isEmpty()) {
            return Answer.error(ErrorCode.UNAVAILABLE, "SET " + set + " has no live owner now; retry shortly");
        }
        List<String> passedBy = exchange.header(FORWARDED_BY).map(nodes -> List.of(nodes.split(","))).orElse(List.of());
        if (passedBy.contains(holder.get().node()) || passedBy.contains(ownership.node())) {
            return Answer.error(ErrorCode.WRONG_NODE, "SET " + set + " is owned by " + holder.get().node()
                    + ", which passed this request on already: ownership changed meanwhile; retry");
        }
        List<String> chain = new java.util.ArrayList<>(passedBy);
        chain.add(ownership.node());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(holder.get().node() + exchange.target()))
                .timeout(ownership.forwardTimeout())
                .method(exchange.method(), HttpRequest.BodyPublishers.ofByteArray(exchange.body()))
                .header(FORWARDED_BY, String.join(",", chain));
        // The owner logs the request under the id this node gave it, so one request is followed across nodes.
        exchange.requestId().ifPresent(id -> request.header(AccessLog.REQUEST_ID.defaultCase(), id));
        for (Header header : exchange.headers()) {
            if (!NOT_PASSED.contains(header.name().toLowerCase(java.util.Locale.ROOT))) {
                for (String value : header.allValues()) {
                    if (sendable(value)) {
                        request.header(header.name(), value);
                    } else {
                        log.debug("not passing header {} on: its value is not printable ASCII", header.name());
                    }
                }
            }
        }
        passedOn.accept(set);
        try {
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(), answer.body(),
                    answer.headers().firstValue("Content-Type").orElse(Answer.JSON));
        } catch (IOException failed) {
            holders.remove(set);
            log.warn("cannot pass {} {} to {}, the owner of SET {}: {}", exchange.method(), exchange.path(),
                    holder.get().node(), set, failed.toString());
            return failure(exchange, set, notSent(failed));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(exchange, set, false);
        }
    }

    /**
     * 503 UNAVAILABLE ("nothing applied, retry") only when the owner cannot have seen the request, or when it only
     * reads; otherwise the owner may have applied it, or may still (a slow owner finishes after this node stopped
     * waiting): 504 OUTCOME_UNKNOWN, and the client learns the outcome as API.md says, never by a blind retry.
     */
    private static Answer failure(Exchange exchange, int set, boolean notSent) {
        if (notSent) {
            return Answer.error(ErrorCode.UNAVAILABLE, "the owner of SET " + set + " is unreachable; nothing was applied; retry shortly");
        }
        if (READS.contains(exchange.method())) {
            return Answer.error(ErrorCode.UNAVAILABLE, "the owner of SET " + set + " did not answer in time; retry shortly");
        }
        return Answer.error(ErrorCode.OUTCOME_UNKNOWN, "the owner of SET " + set + " did not answer in time: the request "
                + "may have been applied, or may be still; learn its outcome (Idempotency-Key, reference, GET) before retrying");
    }

    /** The connection was never made, so no byte of the request reached the owner. */
    private static boolean notSent(IOException failed) {
        for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What the HTTP client can send as it came: printable ASCII, spaces and tabs. Another value (raw UTF-8, say)
     * has no encoding both ends agree on, and the client would refuse the whole request: it is left out.
     */
    private static boolean sendable(String value) {
        return value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f));
    }

    private Optional<SetLease.Holder> holder(int set) {
        long now = System.nanoTime();
        Known known = holders.get(set);
        if (known == null || now - known.untilNanos() > 0) {
            known = new Known(ownership.holder(set), now + HOLDER_CACHE.toNanos());
            holders.put(set, known);
        }
        return known.holder();
    }
}
