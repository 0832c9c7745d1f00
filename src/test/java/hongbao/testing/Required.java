package hongbao.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * A test that needs a tool outside the JVM (nginx, Chromium). A developer without it gets a skip with the reason; CI
 * ({@code .ci/run} sets {@code HONGBAO_CI=1}) gets a failure, since a test CI cannot run is a test that cannot fail.
 */
public final class Required {
    private Required() {
    }

    public static void tool(boolean present, String missing) {
        if (present) {
            return;
        }
        if ("1".equals(System.getenv("HONGBAO_CI"))) {
            throw new AssertionError(missing + " (CI runs every test: HONGBAO_CI=1)");
        }
        Assumptions.abort(missing);
    }
}
