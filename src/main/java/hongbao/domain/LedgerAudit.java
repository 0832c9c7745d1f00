package hongbao.domain;

import java.util.TreeSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's invariants within one SET: balances sum to zero and match their transfers, no wallet is negative,
 * each shard's escrow holds exactly what its packets still owe (unopened shares and claims not yet credited), and
 * every packet's opened + refunded + remaining equals its total with claims and transfers agreeing.
 */
public final class LedgerAudit {
    private LedgerAudit() {
    }

    public static AuditReport evaluate(AuditFacts facts) {
        List<String> problems = new ArrayList<>();
        long sum = 0;
        long users = 0;
        long escrow = 0;
        long external = 0;
        Map<Integer, Long> escrowByShard = new HashMap<>();
        for (AuditFacts.AccountFact account : facts.accounts()) {
            sum += account.balance();
            if (account.balance() != account.transferNet()) {
                problems.add(account.account() + " balance " + account.balance() + " but its transfers net "
                        + account.transferNet());
            }
            if (Accounts.isWallet(account.account())) {
                users += account.balance();
                if (account.balance() < 0) {
                    problems.add(account.account() + " is negative: " + account.balance());
                }
            } else if (Accounts.isEscrow(account.account())) {
                escrow += account.balance();
                escrowByShard.put(Accounts.escrowShard(account.account()), account.balance());
            } else if (Accounts.EXTERNAL.equals(account.account())) {
                external = account.balance();
            }
        }
        if (sum != 0) {
            problems.add("balances sum to " + sum + ", not 0");
        }
        Map<Integer, Long> remainingByShard = new HashMap<>();
        for (AuditFacts.PacketFact packet : facts.packets()) {
            checkPacket(packet, problems);
            if (packet.funded()) {
                remainingByShard.merge(PacketIds.shardOf(packet.packetId()), packet.escrowOwed(), Long::sum);
            }
        }
        for (int shard : union(escrowByShard, remainingByShard)) {
            long held = escrowByShard.getOrDefault(shard, 0L);
            long owed = remainingByShard.getOrDefault(shard, 0L);
            if (held != owed) {
                problems.add("escrow of shard " + shard + " holds " + held + " but its packets owe " + owed);
            }
        }
        return new AuditReport(problems.isEmpty(), facts.accounts().size(), facts.transferCount(), users, escrow,
                external, List.copyOf(problems));
    }

    private static void checkPacket(AuditFacts.PacketFact p, List<String> problems) {
        String name = "packet " + p.packetId() + ": ";
        if (p.remaining() < 0) {
            problems.add(name + "opened " + p.openedAmount() + " + refunded " + p.refunded() + " exceeds total " + p.total());
        }
        if ((p.status() == PacketStatus.FINISHED || p.status() == PacketStatus.EXPIRED) && p.remaining() != 0) {
            problems.add(name + p.status() + " but " + p.remaining() + " left");
        }
        if (p.claimCount() != p.openedCount() || p.claimSum() != p.openedAmount()) {
            problems.add(name + "progress says " + p.openedCount() + " opens of " + p.openedAmount() + " but claims are "
                    + p.claimCount() + " of " + p.claimSum());
        }
        if (p.claimTransferSum() != p.creditedClaimSum()) {
            problems.add(name + "credited claims " + p.creditedClaimSum() + " but claim transfers " + p.claimTransferSum());
        }
        if (p.refundTransferSum() != p.refunded()) {
            problems.add(name + "refunded " + p.refunded() + " but refund transfers " + p.refundTransferSum());
        }
        long expectedFunding = p.funded() ? p.total() : 0;
        if (p.fundingTransferSum() != expectedFunding) {
            problems.add(name + "funding transfers " + p.fundingTransferSum() + " but expected " + expectedFunding);
        }
        if (!p.funded() && p.creditedClaimSum() != 0) {
            problems.add(name + "credited " + p.creditedClaimSum() + " before its money arrived");
        }
    }

    private static Set<Integer> union(Map<Integer, Long> a, Map<Integer, Long> b) {
        Set<Integer> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }
}
