package hongbao.http;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;

/** One request as the endpoints see it: capped body, headers, path and query parameters. */
final class Exchange {
    /** A proxy's, or another node's passing a request on (which comes from a loopback peer on a one-machine cluster). */
    private static final List<HeaderName> FORWARDING_HEADERS = List.of(HeaderNames.FORWARDED,
            HeaderNames.X_FORWARDED_FOR, HeaderNames.create("X-Real-IP"), HeaderNames.create(OwnerForwarding.FORWARDED_BY));
    private final ServerRequest request;
    private final int maxBodyBytes;
    private byte[] body;
    /** Why reading the body failed, thrown again to any later reader rather than reading a broken stream twice. */
    private RuntimeException bodyRefusal;

    Exchange(ServerRequest request, int maxBodyBytes) {
        this.request = request;
        this.maxBodyBytes = maxBodyBytes;
    }

    String method() {
        return request.prologue().method().text();
    }

    String path() {
        return request.path().path();
    }

    /**
     * Whether the client is on this machine and talks to us directly: a loopback peer that no proxy forwarded (a
     * proxy on this machine is a loopback peer too, but says whom it forwards for).
     */
    boolean fromThisMachine() {
        return directFromThisMachine(request.remotePeer().address(),
                FORWARDING_HEADERS.stream().anyMatch(name -> request.headers().contains(name)));
    }

    static boolean directFromThisMachine(SocketAddress peer, boolean forwarded) {
        return !forwarded && peer instanceof InetSocketAddress address && address.getAddress() != null
                && address.getAddress().isLoopbackAddress();
    }

    /** Leaves a refusal's code in the request's context, where the access log finds it. */
    void recordRefusal(ErrorCode code) {
        request.context().register(AccessLog.ERROR_CODE, code);
    }

    /** The id the access log gave this request (the client's sane {@code X-Request-Id}, or one made up). */
    Optional<String> requestId() {
        return request.context().get(AccessLog.ID, String.class);
    }

    Optional<String> header(String name) {
        return request.headers().first(HeaderNames.create(name));
    }

    /** The path with its query string as the client sent them, for passing the request on. */
    String target() {
        String query = request.query().rawValue();
        return request.path().rawPath() + (query.isEmpty() ? "" : "?" + query);
    }

    /** Every value of every header, for passing the request on. */
    io.helidon.http.ServerRequestHeaders headers() {
        return request.headers();
    }

    String pathParam(String name) {
        return request.path().pathParameters().get(name);
    }

    Optional<String> query(String name) {
        return request.query().contains(name) ? Optional.of(request.query().get(name)) : Optional.empty();
    }

    /** The body, read once; larger than the cap is 413 LIMIT_EXCEEDED, whatever Content-Length claimed. */
    byte[] body() {
        if (body == null) {
            if (bodyRefusal != null) {
                throw bodyRefusal;
            }
            try {
                body = readCapped();
            } catch (BodyTooLarge | BodyUnreadable refused) {
                bodyRefusal = refused;
                throw refused;
            }
        }
        return body;
    }

    private byte[] readCapped() {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        InputStream in = request.content().inputStream();
        byte[] read;
        try {
            read = in.readNBytes(maxBodyBytes + 1);
            // Closing reads on to the body's end: a body over the cap is drained, so the connection stays usable.
            in.close();
        } catch (IOException | RuntimeException unreadable) {
            // A broken chunked encoding or a body shorter than its Content-Length. The stream is left unclosed:
            // closing it would read on to the body's end, which a broken framing may never reach.
            throw new BodyUnreadable(unreadable);
        }
        if (read.length > maxBodyBytes) {
            throw new BodyTooLarge(maxBodyBytes);
        }
        return read;
    }

    /**
     * Reads to its end (within the cap) a body the endpoint did not read, so that the connection can carry the next
     * request; false when its framing is broken, and the connection must end with this answer.
     */
    boolean finishBody() {
        try {
            body();
            return true;
        } catch (BodyTooLarge drainedByClose) {
            return true;
        } catch (BodyUnreadable broken) {
            return false;
        }
    }

    /** The body's framing is broken; answered 400 INVALID_REQUEST, and the connection closed after. */
    static final class BodyUnreadable extends RuntimeException {
        BodyUnreadable(Exception cause) {
            super("the request body could not be read: a broken chunked encoding, or shorter than its Content-Length",
                    cause, false, false);
        }
    }

    /** The body exceeded the cap; answered 413 with code LIMIT_EXCEEDED. */
    static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge(int max) {
            super("the request body must be at most " + max + " bytes", null, false, false);
        }
    }

    int intQuery(String name, int defaultValue, int max) {
        Optional<String> raw = query(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (!raw.get().matches("[0-9]{1,4}")) {
            throw new Rejection(ErrorCode.INVALID_REQUEST, name + " must be a positive integer");
        }
        int value = Integer.parseInt(raw.get());
        if (value < 1 || value > max) {
            throw new Rejection(ErrorCode.LIMIT_EXCEEDED, name + " must be 1.." + max);
        }
        return value;
    }

    Optional<Long> cursor(String name) {
        return query(name).map(raw -> {
            if (!raw.matches("[0-9]{1,18}")) {
                throw new Rejection(ErrorCode.INVALID_REQUEST, name + " must be a cursor returned as next");
            }
            return Long.parseLong(raw);
        });
    }
}
