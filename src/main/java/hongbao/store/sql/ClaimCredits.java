package hongbao.store.sql;

import hongbao.domain.Accounts;
import hongbao.domain.PacketIds;
import hongbao.store.ledger.RecordedTransfer;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credits carried by claim rows (V14): an open's escrow-to-wallet transfer is its claim row, numbered in the ledger
 * ({@code ledger_seq}) and holding the wallet's balance after it. Its transfer id, {@code claim:<packet>:<seq>}, is
 * derived from the claim's key, which keeps it unique.
 */
final class ClaimCredits {
    /** The claim carrying a credit, by its key: the receiver, the amount and when it was made. */
    static final String CARRIED_CREDIT =
            "SELECT user_id, amount, claimed_ms FROM claims_all WHERE packet_id = ? AND seq = ? AND ledger_seq IS NOT NULL";
    /** Transfer.claimId's shape. */
    private static final Pattern CLAIM_ID = Pattern.compile("claim:(\\d{1,18}):(\\d{1,9})");

    record Key(long packetId, int seq) {
    }

    private ClaimCredits() {
    }

    /** The claim a claim transfer's id names; empty for any other id. */
    static Optional<Key> key(String transferId) {
        Matcher claim = CLAIM_ID.matcher(transferId);
        return claim.matches() ? Optional.of(new Key(Long.parseLong(claim.group(1)), Integer.parseInt(claim.group(2))))
                : Optional.empty();
    }

    static RecordedTransfer recorded(Key claim, String userId, long amount) {
        return new RecordedTransfer(Accounts.escrow(PacketIds.shardOf(claim.packetId())), Accounts.wallet(userId), amount);
    }
}
