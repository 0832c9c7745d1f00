package hongbao.app;

import hongbao.domain.AuditFacts;
import hongbao.domain.AuditReport;
import hongbao.domain.ClearingPosition;
import hongbao.domain.CrossSetAudit;
import hongbao.domain.LedgerAudit;
import hongbao.engine.CreditRelay;
import hongbao.store.Store;
import hongbao.store.StoreSets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Audits every SET's ledger and the credits between them, reading the clearing positions before and after. */
public final class SetsAudit {
    private SetsAudit() {
    }

    public static AuditReport run(StoreSets sets, Instant now) {
        List<ClearingPosition> before = positions(sets);
        List<AuditFacts> facts = sets.all().stream().map(Store::auditFacts).toList();
        List<ClearingPosition> after = positions(sets);
        List<String> betweenSets = new ArrayList<>(CrossSetAudit.evaluate(before, after, now, CreditRelay.WINDOW));
        betweenSets.addAll(CrossSetAudit.bankMovesAppliedTwice(facts.stream().map(AuditFacts::bankTransferIds).toList()));
        return AuditReport.combine(facts.stream().map(LedgerAudit::evaluate).toList(), betweenSets);
    }

    private static List<ClearingPosition> positions(StoreSets sets) {
        return sets.all().stream().map(Store::clearingPosition).toList();
    }
}
