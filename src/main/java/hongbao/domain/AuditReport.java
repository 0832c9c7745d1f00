package hongbao.domain;

import java.util.ArrayList;
import java.util.List;

/** The audit's verdict; {@code balanced} is true exactly when {@code problems} is empty. */
public record AuditReport(boolean balanced, int accounts, long transfers, long totalUserBalance, long escrow,
        long external, List<String> problems) {

    /** One verdict for all SETs: their sums, each SET's problems named by SET, and the problems between them. */
    public static AuditReport combine(List<AuditReport> perSet, List<String> betweenSets) {
        if (perSet.size() == 1 && betweenSets.isEmpty()) {
            return perSet.get(0);
        }
        List<String> problems = new ArrayList<>();
        int accounts = 0;
        long transfers = 0;
        long users = 0;
        long escrow = 0;
        long external = 0;
        for (int set = 0; set < perSet.size(); set++) {
            AuditReport report = perSet.get(set);
            accounts += report.accounts();
            transfers += report.transfers();
            users += report.totalUserBalance();
            escrow += report.escrow();
            external += report.external();
            for (String problem : report.problems()) {
                problems.add("SET " + set + ": " + problem);
            }
        }
        problems.addAll(betweenSets);
        return new AuditReport(problems.isEmpty(), accounts, transfers, users, escrow, external, List.copyOf(problems));
    }
}
