package hongbao.store;

import hongbao.store.directory.DirectoryReads;
import hongbao.store.ledger.LedgerReads;
import hongbao.store.merchants.CampaignReads;
import hongbao.store.merchants.MerchantReads;
import hongbao.store.packets.PacketReads;
import hongbao.store.payments.PaymentReads;
import hongbao.store.records.RecordReads;

import java.time.Instant;
import java.util.function.Function;

/**
 * The port to durable state. Writes happen in {@link #write}: one transaction, committed durably before it
 * returns, rolled back entirely if anything in it throws. Reads come through the narrow ports it extends, one per
 * aggregate: a caller that only reads balances asks for {@link LedgerReads}.
 */
public interface Store extends AutoCloseable, Journal, DirectoryReads, LedgerReads, PacketReads, RecordReads, PaymentReads,
        MerchantReads, CampaignReads {
    /** A write of this SET's owner; on a node that does not own the SET it throws {@link NotOwnedHere}. */
    <T> T write(Function<WriteTx, T> work);

    /**
     * A write any node may make to this SET: row-locked and commutative with the owner's work (directory rows, bank
     * references, remembered answers, credits arriving from other SETs). On the owner it is {@link #write}.
     */
    <T> T writeShared(Function<WriteTx, T> work);

    /** Periodic upkeep, such as creating tomorrow's partitions; idempotent, and a no-op where there is none. */
    void maintain(Instant now);

    /** True when the store answers a trivial query. */
    boolean ping();

    @Override
    void close();
}
