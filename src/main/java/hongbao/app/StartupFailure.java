package hongbao.app;

/**
 * The service cannot start as configured: a setting, a secret file or the data directory is unusable. Its message is
 * one line for the operator, naming what to change; {@code serve} prints it without a stack trace and exits 2.
 */
public final class StartupFailure extends RuntimeException {
    public StartupFailure(String message) {
        super(message, null, false, false);
    }

    public StartupFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
