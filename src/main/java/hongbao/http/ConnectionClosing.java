package hongbao.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection after an answer that says {@code Connection: close}, whether the client asked for it or the
 * answer chose it. Helidon 4.5.0 sends the header but then waits for another request on the same connection, so a
 * client reading to the end of the answer hangs, and after a body it could not parse it reads the body's remains as
 * the next request and answers them too.
 */
final class ConnectionClosing implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        chain.proceed();
        if (response.isSent() && (request.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
                || response.headers().containsToken(HeaderValues.CONNECTION_CLOSE))) {
            throw new CloseConnectionException("the answer said Connection: close");
        }
    }
}
