package hongbao.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * How the service logs: {@code text} (logback.xml: lines for people, no access log) or {@code json} (logback-json.xml:
 * one JSON object per line for a log shipper, with an access log line per HTTP request).
 */
public enum LogFormat {
    TEXT, JSON;

    static LogFormat parse(String name) {
        for (LogFormat format : values()) {
            if (format.name().toLowerCase(Locale.ROOT).equals(name)) {
                return format;
            }
        }
        throw new StartupError("HONGBAO_LOG_FORMAT", "'" + name + "' is neither text nor json");
    }

    /** Switches Logback to this format; text is what it starts with. */
    void apply() {
        if (this == TEXT) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(LogFormat.class.getResource("/logback-json.xml"));
        } catch (JoranException broken) {
            throw new IllegalStateException("logback-json.xml in the jar is broken", broken);
        }
    }
}
