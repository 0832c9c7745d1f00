package hongbao;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The house's floors (docs/DESIGN.md's package table): the domain is plain Java, no I/O, no framework, no outer layer;
 * the store's ports know the domain alone and their adapters only the wiring; the cluster is known at the edge and in
 * the wiring; no package imports one that imports it back.
 */
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

    /** Where each aggregate's port and rows live: they speak the domain's words and nothing below it. */
    private static final String[] STORE_PORTS = {"hongbao.store", "hongbao.store.directory..", "hongbao.store.ledger..",
            "hongbao.store.packets..", "hongbao.store.records..", "hongbao.store.payments..", "hongbao.store.merchants..",
            "hongbao.store.events.."};
    /** The SQL behind the ports, the journal, and what differs between SQLite and PostgreSQL. */
    private static final String[] STORE_ADAPTERS = {"hongbao.store.sql..", "hongbao.store.jdbc..", "hongbao.store.journal..",
            "hongbao.store.sqlite..", "hongbao.store.postgres.."};

    @Test
    void thePortsKnowTheDomainAlone() {
        noClasses().that().resideInAnyPackage(STORE_PORTS)
                .should().dependOnClassesThat().resideInAnyPackage(concat(STORE_ADAPTERS, "hongbao.cluster..",
                        "hongbao.engine..", "hongbao.app..", "hongbao.http..", "hongbao.wiring..", "hongbao.cli..",
                        "hongbao.bench..", "java.sql..", "javax.sql..", "org.postgresql..", "org.sqlite..", "com.zaxxer.."))
                .check(MAIN);
    }

    /** Services, engine and edge ask a port; which SQL answers is the wiring's choice (the benchmark wires its own). */
    @Test
    void adaptersAreKnownToTheWiringAlone() {
        noClasses().that().resideInAnyPackage("hongbao.domain..", "hongbao.engine..", "hongbao.app..", "hongbao.http..")
                .should().dependOnClassesThat().resideInAnyPackage(STORE_ADAPTERS)
                .check(MAIN);
    }

    /**
     * "Several nodes" is the edge's (forwarding), the wiring's and the PostgreSQL adapter's concern (its writes are
     * fenced by the lease); the domain, engine, services and the rest of the store work the same on one node.
     */
    @Test
    void theClusterIsKnownAtTheEdgeAndInTheWiring() {
        noClasses().that().resideInAnyPackage(concat(STORE_PORTS, "hongbao.domain..", "hongbao.engine..", "hongbao.app..",
                        "hongbao.store.sql..", "hongbao.store.jdbc..", "hongbao.store.journal..", "hongbao.store.sqlite.."))
                .should().dependOnClassesThat().resideInAPackage("hongbao.cluster..")
                .check(MAIN);
    }

    /** Each package a floor: nothing imports, directly or round about, a package that imports it. */
    @Test
    void noPackageImportsOneThatImportsIt() {
        slices().matching("hongbao.(**)").should().beFreeOfCycles().check(MAIN);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
