package hongbao.http;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import hongbao.domain.ErrorCode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every request an id, taken from {@code X-Request-Id} when the client (or a proxy) sent a sane one and made up
 * otherwise, echoes it in the answer, and logs the request once to the {@code hongbao.access} logger just before
 * the answer is sent: id, method, path, packet id, status, error code and latency, so that one open can be followed
 * from the proxy's log to the service's. That logger is on in JSON logs only (logback.xml, logback-json.xml).
 */
final class AccessLog implements Filter {
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    /** Where an endpoint's refusal leaves its error code for the log line (the request's context). */
    static final String ERROR_CODE = "hongbao.errorCode";
    /** Where the request's id is left for whoever passes the request on to another node (the request's context). */
    static final String ID = "hongbao.requestId";

    private static final Logger log = LoggerFactory.getLogger("hongbao.access");
    /** Ids as proxies make them (nginx's 32 hex digits, UUIDs, ...); anything else is not copied into logs. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern PACKET_PATH = Pattern.compile("^/v1/packets/(\\d{1,19})(?:/|$)");

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        long startedNanos = System.nanoTime();
        String requestId = request.headers().first(REQUEST_ID).filter(id -> SANE_ID.matcher(id).matches())
                .orElseGet(AccessLog::randomId);
        response.header(REQUEST_ID, requestId);
        request.context().register(ID, requestId);
        if (log.isInfoEnabled()) {
            // Before the answer leaves: its status is final, and whoever reads the answer can find its line logged.
            response.beforeSend(() -> log(request, response, requestId, (System.nanoTime() - startedNanos) / 1_000_000.0));
        }
        chain.proceed();
    }

    /**
     * A version 4 (random) UUID from the thread's own generator: an id to find a request by needs to be unique, not
     * unguessable, and UUID.randomUUID() takes SecureRandom's shared lock on every request (~1% of a grab's CPU).
     */
    static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L;
        long low = random.nextLong() & ~(0xC000L << 48) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }

    private static void log(RoutingRequest request, RoutingResponse response, String requestId, double latencyMs) {
        String path = request.path().rawPath();
        List<Object> fields = new ArrayList<>(List.of(keyValue("requestId", requestId),
                keyValue("method", request.prologue().method().text()), keyValue("path", path)));
        Matcher packet = PACKET_PATH.matcher(path);
        if (packet.find()) {
            fields.add(keyValue("packetId", packet.group(1)));
        }
        fields.add(keyValue("status", response.status().code()));
        request.context().get(ERROR_CODE, ErrorCode.class).ifPresent(code -> fields.add(keyValue("errorCode", code.name())));
        fields.add(keyValue("latencyMs", Math.round(latencyMs * 1000) / 1000.0));
        log.info(String.join(" ", Collections.nCopies(fields.size(), "{}")), fields.toArray());
    }
}
