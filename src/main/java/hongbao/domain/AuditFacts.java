package hongbao.domain;

import java.util.List;

/**
 * What the store knows, aggregated, for the ledger audit. Gathered by the store; judged by {@link LedgerAudit}, and
 * between SETs by {@link CrossSetAudit}.
 *
 * @param bankTransferIds the id of every deposit and withdrawal in this SET's ledger
 */
public record AuditFacts(List<AccountFact> accounts, long transferCount, List<PacketFact> packets,
        List<String> bankTransferIds) {

    /** An account's stored balance and the balance its transfers add up to. */
    public record AccountFact(String account, long balance, long transferNet) {
    }

    /** A packet's stored progress beside the sums of its claims and transfers. */
    public record PacketFact(long packetId, PacketStatus status, PayStatus payStatus, long total, int openedCount,
            long openedAmount, long refunded, int claimCount, long claimSum, long creditedClaimSum,
            long claimTransferSum, long fundingTransferSum, long refundTransferSum) {

        /** Whether the packet's money has entered escrow (from the sender's wallet, or from the provider). */
        public boolean funded() {
            return payStatus == PayStatus.SERVER_CONFIRMED;
        }

        public long remaining() {
            return total - openedAmount - refunded;
        }

        /** Unopened shares plus opened ones whose credit has not left escrow (waiting in the outbox). */
        public long escrowOwed() {
            return total - creditedClaimSum - refunded;
        }
    }
}
