package hongbao.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's routes as they are registered, and the list of them ("POST /v1/packets"): docs/openapi.json must describe
 * every one, which its test checks against this list.
 */
final class Routes {
    private final HttpRouting.Builder routing = HttpRouting.builder();
    private final List<String> registered = new ArrayList<>();

    Routes get(String path, Handler handler) {
        return add(Method.GET, path, handler);
    }

    Routes post(String path, Handler handler) {
        return add(Method.POST, path, handler);
    }

    Routes delete(String path, Handler handler) {
        return add(Method.DELETE, path, handler);
    }

    private Routes add(Method method, String path, Handler handler) {
        routing.route(method, path, handler);
        registered.add(method.text() + " " + path);
        return this;
    }

    /** The routing to hand to the server; what is added to it directly (static files, the fallback) is not listed. */
    HttpRouting.Builder routing() {
        return routing;
    }

    List<String> registered() {
        return List.copyOf(registered);
    }
}
