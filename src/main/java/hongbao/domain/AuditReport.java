package hongbao.domain;

import java.util.List;

/** The audit's verdict; {@code balanced} is true exactly when {@code problems} is empty. */
public record AuditReport(boolean balanced, int accounts, long transfers, long totalUserBalance, long escrow,
        long external, List<String> problems) {
}
