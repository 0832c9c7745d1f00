package hongbao.domain;

import java.time.Instant;

/**
 * A merchant's sendredpack / sendgroupredpack bill as recorded before its packet is sent. {@code packetId} is the
 * packet of the latest attempt; {@code quotaDay} the Beijing day whose per-user send count the bill holds (null once
 * given back); {@code failure} the err_code of the latest attempt if it failed for a business reason.
 */
public record RedpackBill(String mchId, RedpackOrder order, String requestHash, String userId, long packetId,
        String quotaDay, MerchantError failure, String failureReason, Instant createdAt) {

    public String billno() {
        return order.billno();
    }

    /** The same bill attempted again with a new packet, its earlier failure forgotten. */
    public RedpackBill retriedAs(long newPacketId, String newQuotaDay) {
        return new RedpackBill(mchId, order, requestHash, userId, newPacketId, newQuotaDay, null, null, createdAt);
    }
}
