package hongbao.app;

import hongbao.store.Store;
import hongbao.store.StoreSets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * The payment backlog as gauges: packets waiting for their provider's money and refunds owed back to payers, over all
 * SETs. The counts scan tables, so they are taken on a poll ({@link #run}) and a scrape reads the last ones.
 */
public final class PaymentBacklog implements Runnable {
    public static final String WAITING = "hongbao.payments.waiting";
    public static final String REFUNDS_DUE = "hongbao.refunds.due";

    private final StoreSets sets;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong refundsDue = new AtomicLong();

    public PaymentBacklog(StoreSets sets, MeterRegistry registry) {
        this.sets = sets;
        Gauge.builder(WAITING, waiting, AtomicLong::get)
                .description("packets waiting for their provider's money (counted on a poll)").register(registry);
        Gauge.builder(REFUNDS_DUE, refundsDue, AtomicLong::get)
                .description("payments owed back to payers, see GET /v1/admin/payments/refunds-due (counted on a poll)")
                .register(registry);
    }

    /** Counts again. */
    @Override
    public void run() {
        waiting.set(sum(Store::countAwaitingPayment));
        refundsDue.set(sum(Store::countRefundsDue));
    }

    private long sum(ToLongFunction<Store> count) {
        return sets.owned().stream().mapToLong(count).sum();
    }
}
