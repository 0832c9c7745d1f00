package hongbao;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The domain is plain Java: no I/O, no framework, no outer layer. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("hongbao");

    @Test
    void theDomainDoesNoIo() {
        noClasses().that().resideInAPackage("hongbao.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "java.sql..",
                        "javax.sql..", "hongbao.engine..", "hongbao.store..", "hongbao.app..", "hongbao.http..",
                        "io.helidon..", "com.fasterxml..", "org.slf4j..")
                .check(MAIN);
    }

    @Test
    void onlyTheEdgesKnowHttp() {
        noClasses().that().resideInAnyPackage("hongbao.domain..", "hongbao.engine..", "hongbao.store..", "hongbao.app..",
                        "hongbao.events..")
                .should().dependOnClassesThat().resideInAnyPackage("hongbao.http..", "io.helidon..")
                .check(MAIN);
    }

    /** Merchants may copy the client into their own code: it needs the JDK and WeChat's wire conventions, nothing more. */
    @Test
    void theMerchantClientStandsAlone() {
        noClasses().that().resideInAPackage("hongbao.merchant..")
                .should().dependOnClassesThat().resideInAnyPackage("hongbao.domain..", "hongbao.engine..", "hongbao.store..",
                        "hongbao.app..", "hongbao.http..", "io.helidon..", "com.fasterxml..", "org.slf4j..")
                .check(MAIN);
        noClasses().that().resideInAPackage("hongbao.wxpay..")
                .should().dependOnClassesThat().resideInAPackage("hongbao.merchant..")
                .check(MAIN);
    }

    /** SQL and its drivers stay behind the store's ports: the directory's caches learn of changes through one. */
    @Test
    void onlyTheStoreSpeaksSql() {
        noClasses().that().resideInAnyPackage("hongbao.domain..", "hongbao.engine..", "hongbao.app..", "hongbao.http..",
                        "hongbao.events..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.postgresql..",
                        "org.sqlite..", "com.zaxxer..")
                .check(MAIN);
    }

    @Test
    void theEngineDoesNotReachIntoServices() {
        noClasses().that().resideInAnyPackage("hongbao.engine..", "hongbao.store..")
                .should().dependOnClassesThat().resideInAPackage("hongbao.app..")
                .check(MAIN);
    }
}
