package hongbao.engine;

import hongbao.domain.Packet;
import hongbao.domain.PaymentStep;

/** One of the payment rules ({@link hongbao.domain.Payments}), bound to its event, to be applied by the packet's worker. */
@FunctionalInterface
public interface PaymentEvent {
    /** May throw a {@link hongbao.domain.Rejection}, which refuses the event and changes nothing. */
    PaymentStep apply(Packet current);
}
