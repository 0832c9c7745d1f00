package hongbao.domain;

/** Ledger account names. Every movement of money is a transfer between two of these. */
public final class Accounts {
    public static final String EXTERNAL = "EXTERNAL";
    private static final String WALLET = "wallet:";
    private static final String ESCROW = "escrow:";

    private Accounts() {
    }

    public static String wallet(String userId) {
        return WALLET + userId;
    }

    public static String escrow(int shard) {
        return ESCROW + shard;
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
