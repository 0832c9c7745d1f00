package hongbao.cli;

import java.util.Locale;

/**
 * A setting the service cannot run with, or a start-up step that failed because of one: told as one line that names
 * the setting (its variable and its flag), and the command exits with status 2.
 */
final class StartupError extends RuntimeException {
    StartupError(String variables, String problem, Throwable cause) {
        super(named(variables) + ": " + problem, cause);
    }

    StartupError(String variables, String problem) {
        this(variables, problem, null);
    }

    /** "HONGBAO_MAX_SHARE,HONGBAO_MAX_COUNT" as "HONGBAO_MAX_SHARE (--max-share), HONGBAO_MAX_COUNT (--max-count)". */
    static String named(String variables) {
        StringBuilder names = new StringBuilder();
        for (String variable : variables.split(",")) {
            String flag = "--" + variable.strip().replaceFirst("^HONGBAO_", "").toLowerCase(Locale.ROOT).replace('_', '-');
            names.append(names.isEmpty() ? "" : ", ").append(variable.strip()).append(" (").append(flag).append(')');
        }
        return names.toString();
    }
}
