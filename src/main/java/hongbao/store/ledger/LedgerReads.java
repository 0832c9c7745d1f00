package hongbao.store.ledger;

import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetCredit;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Balances, wallet movements, applied transfers and what is owed between SETs. */
public interface LedgerReads {
    long balance(String account);

    /** A user's wallet movements, newest first, strictly before the cursor (a transfer sequence) when given. */
    List<WalletEntry> walletEntries(String userId, Long beforeSeq, int limit);

    /** When the transfer with this id was applied, if it was. */
    Optional<Instant> transferTime(String transferId);

    /** The oldest credits waiting in this SET's outbox for wallets in other SETs. */
    List<CrossSetCredit> outbox(int limit);

    /** Clearing balances with the other SETs and the outbox's waiting credits; cheap, for the cross-SET audit. */
    ClearingPosition clearingPosition();
}
