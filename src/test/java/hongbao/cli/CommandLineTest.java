package hongbao.cli;

import hongbao.store.StoreSets;

import hongbao.wiring.ServeConfig;

import static org.assertj.core.api.Assertions.assertThat;

import hongbao.wiring.Stores;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands as a newcomer meets them, through the same entry point as {@code java -jar}: configuration and
 * start-up errors are one line naming the setting, with exit status 2; help shows the defaults.
 */
class CommandLineTest {
    @TempDir
    Path dir;

    record Ran(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }
    }

    private static Ran run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exitCode = command.execute(args);
        return new Ran(exitCode, out.toString(), err.toString());
    }

    private static ServeConfig serveConfig(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void thePaymentTimeoutFollowsAShortPacketLifetimeUnlessSet() {
        assertThat(serveConfig("--packet-ttl-seconds", "30").payments().timeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(serveConfig("--packet-ttl-seconds", "86400").payments().timeout()).isEqualTo(Duration.ofSeconds(900));
        assertThat(serveConfig("--packet-ttl-seconds", "30", "--payment-timeout-seconds", "20").payments().timeout())
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(ServeConfig.PaymentConfig.defaultTimeout(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aTimeoutSetLongerThanTheLifetimeIsOneLineNamingTheSetting() {
        Ran ran = run("serve", "--data-dir", dir.resolve("data").toString(), "--packet-ttl-seconds", "30",
                "--payment-timeout-seconds", "60");
        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.errLines()).singleElement().asString()
                .startsWith("hongbao serve: HONGBAO_PAYMENT_TIMEOUT_SECONDS (--payment-timeout-seconds): 60 s must be shorter")
                .contains("HONGBAO_PACKET_TTL_SECONDS");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void everyRefusedSettingIsOneLineThatNamesIt() {
        String data = dir.resolve("data").toString();
        assertThat(run("serve", "--data-dir", data, "--max-share", "0").errLines()).singleElement().asString()
                .contains("HONGBAO_MAX_SHARE (--max-share)");
        assertThat(run("serve", "--data-dir", data, "--merchant-max-amount", "30000").errLines()).singleElement()
                .asString().contains("HONGBAO_MERCHANT_MAX_AMOUNT (--merchant-max-amount)").contains("HONGBAO_MAX_SHARE");
        assertThat(run("serve", "--data-dir", data, "--workers", "0").errLines()).singleElement().asString()
                .contains("HONGBAO_WORKERS (--workers)");
        assertThat(run("serve", "--data-dir", data, "--expiry-interval-ms", "0").errLines()).singleElement().asString()
                .contains("HONGBAO_EXPIRY_INTERVAL_MS (--expiry-interval-ms): must be at least 1, not 0");
        assertThat(run("serve", "--data-dir", data, "--port", "70000").errLines()).singleElement().asString()
                .contains("HONGBAO_PORT (--port)");
        assertThat(run("serve", "--data-dir", data, "--store", "mysql://db/x").errLines()).singleElement().asString()
                .contains("HONGBAO_STORE (--store)").contains("mysql://db/x");
        assertThat(run("serve", "--data-dir", data, "--log-format", "xml").errLines()).singleElement().asString()
                .contains("HONGBAO_LOG_FORMAT (--log-format): 'xml' is neither text nor json");
        Ran notANumber = run("serve", "--port", "eighty");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.errLines()).singleElement().asString().contains("--port").contains("eighty");
        for (String[] args : List.of(new String[] {"serve", "--data-dir", data, "--max-share", "0"},
                new String[] {"serve", "--data-dir", data, "--store", "mysql://db/x"})) {
            assertThat(run(args).exitCode()).isEqualTo(2);
        }
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aClusterNodesSettingsAreCheckedBeforeAnythingStarts() {
        String data = dir.resolve("data").toString();
        String pg = "postgresql://nobody@127.0.0.1:1/a,postgresql://nobody@127.0.0.1:1/b";
        assertThat(run("serve", "--data-dir", data, "--own", "0", "--node-url", "http://n1:8080").errLines()).singleElement()
                .asString().contains("HONGBAO_OWN").contains("must all be PostgreSQL databases");
        assertThat(run("serve", "--data-dir", data, "--store", pg, "--own", "0").errLines()).singleElement().asString()
                .contains("HONGBAO_NODE_URL (--node-url)").contains("http://host:port");
        assertThat(run("serve", "--data-dir", data, "--store", pg, "--own", "2", "--node-url", "http://n1:8080").errLines())
                .singleElement().asString().contains("HONGBAO_OWN (--own): SET 2 is not one of the 2 SETs");
        assertThat(run("serve", "--data-dir", data, "--store", pg, "--take-over").errLines()).singleElement().asString()
                .contains("HONGBAO_OWN (--own)").contains("--take-over");
        assertThat(run("serve", "--data-dir", data, "--store", pg, "--own", "0", "--node-url", "http://n1:8080",
                "--lease-seconds", "0").errLines()).singleElement().asString().contains("HONGBAO_LEASE_SECONDS (--lease-seconds)");
        assertThat(run("serve", "--data-dir", data, "--store", pg, "--own", "0", "--node-url", "http://n1:8080",
                "--forward-timeout-seconds", "0").errLines()).singleElement().asString()
                .contains("HONGBAO_FORWARD_TIMEOUT_SECONDS (--forward-timeout-seconds)");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void auditRefusesADirectoryWithoutAStoreAndCreatesNothing() {
        Path mistyped = dir.resolve("dtaa");
        Ran ran = run("audit", "--data-dir", mistyped.toString());
        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.errLines()).singleElement().asString()
                .contains("no store at " + mistyped.resolve("hongbao.db")).contains("HONGBAO_DATA_DIR (--data-dir)");
        assertThat(ran.out()).isEmpty();
        assertThat(mistyped).doesNotExist();
    }

    @Test
    void auditSaysWhichStoreItChecksAndHowToNameAnother() {
        Path data = dir.resolve("data");
        try (StoreSets sets = Stores.openSets(null, data, 64, 31)) {
            assertThat(sets.layout().sets()).isEqualTo(1);
        }
        Ran ran = run("audit", "--data-dir", data.toString());
        assertThat(ran.exitCode()).as("%s", ran).isZero();
        assertThat(ran.errLines()).singleElement().asString()
                .isEqualTo("auditing SQLite " + data.resolve("hongbao.db")
                        + " (another: --data-dir or HONGBAO_DATA_DIR, --store or HONGBAO_STORE)");
        assertThat(ran.out()).contains("\"balanced\":true");
    }

    @Test
    void anUnreachableDatabaseIsOneLineNamingTheStore() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Ran ran = run("audit", "--store", "postgresql://hongbao:secret@127.0.0.1:" + closedPort + "/hb");
        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.errLines()).hasSize(2);
        assertThat(ran.errLines().get(0)).contains("PostgreSQL postgresql://hongbao:***@127.0.0.1:" + closedPort + "/hb");
        assertThat(ran.errLines().get(1)).startsWith("hongbao audit: HONGBAO_STORE (--store): cannot connect to PostgreSQL")
                .doesNotContain("secret");
    }

    @Test
    void storesAreDescribedWithoutTheirPasswords() {
        assertThat(Stores.describe("postgresql://hongbao:secret@db1:5432/hb, sqlite", dir))
                .containsExactly("PostgreSQL postgresql://hongbao:***@db1:5432/hb", "SQLite " + dir.resolve("set-1/hongbao.db"));
    }

    @Test
    void helpShowsTheDefaults() {
        String serveHelp = run("serve", "--help").out();
        assertThat(serveHelp).containsPattern("--port=<port>\\s+HTTP port, 0 = any free \\(HONGBAO_PORT\\)\\s+Default: \\d+");
        assertThat(serveHelp).contains("Default: ./data");
        String simHelp = run("provider-sim", "--help").out();
        assertThat(simHelp).contains("Default: http://localhost:8080/v1/payments/notify");
    }

    @Test
    void merchantSendSendsASignedSendredpackAndPrintsTheAnswer() throws Exception {
        try (hongbao.testing.TestServer server = hongbao.testing.TestServer.start(
                hongbao.testing.TestServer.config(dir.resolve("server")))) {
            server.user("bob");
            server.merchant("1900000109", "wxhongbaodemo001", "192006250b4c09247ec02edce69f6a2d", hongbao.wxpay.SignType.MD5);
            server.deposit("mch.1900000109", 1_000, "bank-1");
            server.bindOpenid("1900000109", "oBob", "bob");
            String[] send = {"merchant-send", "--url", server.baseUrl(), "--mch-id", "1900000109", "--key",
                    "192006250b4c09247ec02edce69f6a2d", "--wxappid", "wxhongbaodemo001", "--openid", "oBob", "--amount",
                    "100", "--billno", "1900000109202611280000000001"};
            Ran sent = run(send);
            assertThat(sent.exitCode()).as("%s", sent).isZero();
            assertThat(sent.out()).startsWith("<xml>").contains("<result_code><![CDATA[SUCCESS]]></result_code>")
                    .contains("<total_amount><![CDATA[100]]></total_amount>");
            assertThat(run(send).out()).as("the same bill again").isEqualTo(sent.out());
            assertThat(server.merchantBalance("1900000109")).isEqualTo(900);

            send[6] = "not-the-key";
            Ran refused = run(send);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.out()).contains("SIGN_ERROR");
        }
        Ran nobody = run("merchant-send", "--url", "http://127.0.0.1:1", "--mch-id", "1", "--key", "k", "--wxappid", "w",
                "--openid", "o", "--amount", "100");
        assertThat(nobody.exitCode()).isEqualTo(2);
        assertThat(nobody.errLines()).singleElement().asString().contains("nothing answers at http://127.0.0.1:1");
    }

    @Test
    void aPlainFileIsNotADataDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Ran ran = run("audit", "--data-dir", file.toString());
        assertThat(ran.exitCode()).isEqualTo(2);
        assertThat(ran.errLines()).hasSize(1);
    }
}
