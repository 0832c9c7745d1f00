package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrossSetBankAuditTest {

    @Test
    void movesAppliedInOneSetEachAreNoProblem() {
        assertThat(CrossSetAudit.bankMovesAppliedTwice(List.of(List.of("deposit:a", "withdrawal:a"),
                List.of("deposit:c"), List.of()))).isEmpty();
    }

    @Test
    void aMoveInSeveralSetsIsNamedWithItsSets() {
        assertThat(CrossSetAudit.bankMovesAppliedTwice(List.of(List.of("deposit:a", "withdrawal:x"),
                List.of("deposit:b"), List.of("withdrawal:x"))))
                .containsExactly("withdrawal:x was applied 2 times, in SETs [0, 2]: one bank reference moved money twice");
    }
}
