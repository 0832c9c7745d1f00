package hongbao.store.ledger;

import hongbao.domain.TransferKind;
import java.time.Instant;

/** One line of a wallet statement (流水): {@code amount} is signed from the wallet's point of view. */
public record WalletEntry(long seq, String transferId, TransferKind kind, long amount, long balanceAfter, Long packetId,
        Instant at) {
}
