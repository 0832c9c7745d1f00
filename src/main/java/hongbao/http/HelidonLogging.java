package hongbao.http;

import io.helidon.logging.common.spi.LoggingProvider;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Helidon's logging set-up, found by its service loader: Helidon logs through java.util.logging, which this routes to
 * SLF4J and Logback like the rest of the service. Without a provider Helidon prints "There is no Helidon logging
 * implementation on classpath" at every start.
 */
public final class HelidonLogging implements LoggingProvider {
    @Override
    public void initialization() {
        routeJulToSlf4j();
    }

    @Override
    public void runTime() {
        routeJulToSlf4j();
    }

    /** Replaces java.util.logging's console handler by the bridge to SLF4J, once. */
    public static synchronized void routeJulToSlf4j() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
