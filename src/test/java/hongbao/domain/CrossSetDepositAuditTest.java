package hongbao.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CrossSetDepositAuditTest {

    @Test
    void referencesCreditedInOneSetEachAreNoProblem() {
        assertThat(CrossSetAudit.depositsCreditedTwice(List.of(List.of("a", "b"), List.of("c"), List.of()))).isEmpty();
    }

    @Test
    void aReferenceInSeveralSetsIsNamedWithItsSets() {
        assertThat(CrossSetAudit.depositsCreditedTwice(List.of(List.of("a", "x"), List.of("b"), List.of("x"))))
                .containsExactly("deposit reference x was credited 2 times, in SETs [0, 2]");
    }
}
