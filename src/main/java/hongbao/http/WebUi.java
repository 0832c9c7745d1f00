package hongbao.http;

import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;

/**
 * The web UI: plain ES modules and CSS under {@code src/main/resources/web}, served from the jar at {@code /}. No
 * build step and no CDN: what is in the jar is what the browser runs.
 */
final class WebUi {
    static final String CLASSPATH_ROOT = "web";

    private WebUi() {
    }

    /** Serves the files; a path with no file falls through to the next route (the API's JSON 404). */
    static HttpService service() {
        return StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(CLASSPATH_ROOT)
                .welcome("index.html")
                .build());
    }
}
