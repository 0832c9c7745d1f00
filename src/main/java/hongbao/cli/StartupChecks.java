package hongbao.cli;

import hongbao.app.StartupFailure;
import hongbao.http.ApiServer;
import hongbao.store.StoreException;

/** The checks every command's settings go through: a refusal names the setting to change, in one line. */
final class StartupChecks {
    private StartupChecks() {
    }

    static long atLeast(long least, long value, String variable) {
        if (value < least) {
            throw new StartupError(variable, "must be at least " + least + ", not " + value);
        }
        return value;
    }

    static void atMost(long most, long value, String variable) {
        if (value > most) {
            throw new StartupError(variable, "must be at most " + most + ", not " + value);
        }
    }

    /** Builds a part of the configuration whose own checks refuse it with IllegalArgumentException. */
    static <T> T checked(String variables, java.util.function.Supplier<T> part) {
        try {
            return part.get();
        } catch (IllegalArgumentException refused) {
            throw new StartupError(variables, refused.getMessage(), refused);
        }
    }

    /**
     * A start-up step that fails because of its setting: a store that cannot be opened or refuses this layout, a
     * data directory that cannot be written, a port that cannot be bound.
     */
    static <T> T startStep(String variables, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (hongbao.store.StoreRefused refused) {
            throw new StartupFailure(refused.getMessage(), refused);
        } catch (StoreException | IllegalArgumentException | java.io.UncheckedIOException | ApiServer.ListenFailure e) {
            throw new StartupError(e instanceof ApiServer.ListenFailure ? "HONGBAO_HOST,HONGBAO_PORT" : variables,
                    e.getMessage(), e);
        }
    }

    /** The settings that pick the store: the data directory alone for the embedded SQLite store. */
    static String storeSettings(String store) {
        return embeddedStore(store) ? "HONGBAO_STORE,HONGBAO_DATA_DIR" : "HONGBAO_STORE";
    }

    /** The same test as Stores.open: no store, or "sqlite", is the embedded SQLite file. */
    /** Every SET an SQLite file in the data directory: the try-it-out setup, where dev login is on by default. */
    static boolean embeddedStore(String store) {
        return hongbao.wiring.Stores.entries(store).stream().allMatch(entry -> entry.equals("sqlite"));
    }
}
