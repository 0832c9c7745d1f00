package hongbao.domain;

/** Ledger account names. Every movement of money is a transfer between two of these. */
public final class Accounts {
    public static final String EXTERNAL = "EXTERNAL";
    private static final String WALLET = "wallet:";
    private static final String ESCROW = "escrow:";
    private static final String OUTBOUND = "outbound:";
    private static final String INBOUND = "inbound:";

    private Accounts() {
    }

    public static String wallet(String userId) {
        return WALLET + userId;
    }

    public static String escrow(int shard) {
        return ESCROW + shard;
    }

    /** In a packet's SET: money sent to wallets of SET {@code toSet}. Grows as cross-SET claims are credited. */
    public static String outbound(int toSet) {
        return OUTBOUND + toSet;
    }

    /** In a wallet's SET: money received from SET {@code fromSet}. Goes negative, as EXTERNAL does. */
    public static String inbound(int fromSet) {
        return INBOUND + fromSet;
    }

    public static boolean isOutbound(String account) {
        return account.startsWith(OUTBOUND);
    }

    public static boolean isInbound(String account) {
        return account.startsWith(INBOUND);
    }

    /** The SET at the other end of an outbound or inbound account. */
    public static int otherSet(String clearingAccount) {
        return Integer.parseInt(clearingAccount.substring(clearingAccount.indexOf(':') + 1));
    }

    public static boolean isWallet(String account) {
        return account.startsWith(WALLET);
    }

    public static boolean isEscrow(String account) {
        return account.startsWith(ESCROW);
    }

    public static int escrowShard(String account) {
        return Integer.parseInt(account.substring(ESCROW.length()));
    }
}
