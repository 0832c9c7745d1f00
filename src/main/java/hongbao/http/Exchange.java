package hongbao.http;

import hongbao.domain.ErrorCode;
import hongbao.domain.Rejection;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** One request as the endpoints see it: capped body, headers, path and query parameters. */
final class Exchange {
    private final ServerRequest request;
    private final int maxBodyBytes;
    private byte[] body;

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

    Optional<String> header(String name) {
        return request.headers().first(HeaderNames.create(name));
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
            body = readCapped();
        }
        return body;
    }

    private byte[] readCapped() {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        byte[] read;
        try (InputStream in = request.content().inputStream()) {
            read = in.readNBytes(maxBodyBytes + 1);
        } catch (IOException | RuntimeException unreadable) {
            // A broken chunked encoding or a body shorter than its Content-Length: the connection's framing is lost,
            // so the server itself answers (TransportErrors) and closes it, rather than a route answering twice.
            throw RequestException.builder().type(DirectHandler.EventType.BAD_REQUEST).status(Status.BAD_REQUEST_400)
                    .message("the request body could not be read").setKeepAlive(false).cause(unreadable).build();
        }
        if (read.length > maxBodyBytes) {
            throw new BodyTooLarge(maxBodyBytes);
        }
        return read;
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
