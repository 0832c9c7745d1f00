package hongbao.cli;


import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 22's command-line slips, through the same entry point as the launcher: every refusal is one line naming what
 * to change, exit status 2, no stack trace; help shows only defaults that exist and only options that apply.
 */
class CommandLineMessagesTest {
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

    private static void assertOneLineRefusal(Ran ran, String startsWith) {
        assertThat(ran.exitCode()).as("%s", ran).isEqualTo(2);
        assertThat(ran.errLines()).as("%s", ran).singleElement().asString().startsWith(startsWith)
                .doesNotContain("Exception");
    }

    @Test
    void tooManyShardsBlamesTheShardsAlone() {
        Ran ran = run("serve", "--data-dir", dir.resolve("data").toString(), "--shards", "100");
        assertOneLineRefusal(ran, "hongbao serve: HONGBAO_SHARDS (--shards): must be at most 64, not 100");
        assertThat(ran.err()).doesNotContain("HONGBAO_WORKERS").doesNotContain("HONGBAO_QUEUE_BOUND");
        assertOneLineRefusal(run("serve", "--data-dir", dir.resolve("data").toString(), "--shards", "2", "--workers", "3"),
                "hongbao serve: HONGBAO_WORKERS (--workers): must be at most the number of shards (HONGBAO_SHARDS, 2), not 3");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aMistypedCommandSaysSoAndListsTheCommands() {
        Ran ran = run("serv");
        assertOneLineRefusal(ran, "hongbao: 'serv' is not a command; the commands are serve, audit, ");
        assertThat(ran.err()).doesNotContain("hongbao hongbao").doesNotContain("Unmatched");
    }

    @Test
    void restoringFromADirectoryThatDoesNotExistSaysSo() {
        Path missing = dir.resolve("no-such-backup");
        Ran ran = run("restore", "--from", missing.toString(), "--data-dir", dir.resolve("data").toString());
        assertOneLineRefusal(ran, "hongbao restore: --from " + missing + " does not exist");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void providerSimRefusesInOneLineWithoutAStackTrace() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/v1/payments/notify";
        assertOneLineRefusal(run("provider-sim", "--url", url, "--key", "a-long-enough-provider-key", "--payment", "hb1:888"),
                "hongbao provider-sim: --url: nothing answers at " + url);
        assertOneLineRefusal(run("provider-sim", "--url", url, "--key", "a-long-enough-provider-key", "--payment", "hb1:x"),
                "hongbao provider-sim: --payment must be paymentId:amountInFen");
        assertOneLineRefusal(run("provider-sim", "--url", url, "--key", "a-long-enough-provider-key", "--payment", "hb1"),
                "hongbao provider-sim: --payment must be paymentId:amountInFen");
        Path noData = dir.resolve("no-data");
        Ran noKey = run("provider-sim", "--url", url, "--data-dir", noData.toString(), "--payment", "hb1:888");
        assertOneLineRefusal(noKey, "hongbao provider-sim: --key: none given, and the service's "
                + noData.resolve("payment.key") + " does not exist");
    }

    @Test
    void helpShowsNoDefaultForARequiredOption() {
        CommandLine hongbao = Main.commandLine();
        List<String> shown = new ArrayList<>();
        for (CommandLine command : hongbao.getSubcommands().values()) {
            String help = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            for (CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                if (option.required() && optionBlock(help, option.longestName()).contains("Default:")) {
                    shown.add(command.getCommandName() + " " + option.longestName());
                }
            }
            assertThat(help).as(command.getCommandName()).doesNotContain("Default: {}").doesNotContain("Default: []");
        }
        assertThat(shown).as("required options whose help shows a default").isEmpty();
    }

    @Test
    void backupAndRestoreOfferNoPostgresqlOnlyOption() {
        for (String command : List.of("backup", "restore")) {
            assertThat(run(command, "--help").out()).as(command).doesNotContain("--retention-days").doesNotContain("PostgreSQL:");
        }
        assertThat(run("serve", "--help").out()).contains("--retention-days");
        assertThat(run("audit", "--help").out()).contains("--retention-days");
    }

    /** The lines of one option's entry in a help text: from its name to the next option's. */
    private static String optionBlock(String help, String name) {
        List<String> lines = help.lines().toList();
        StringBuilder block = new StringBuilder();
        boolean inside = false;
        for (String line : lines) {
            boolean startsAnOption = line.matches("\\s+(-\\w, )?--[\\w-]+.*");
            if (startsAnOption) {
                inside = line.matches("\\s+(-\\w, )?" + java.util.regex.Pattern.quote(name) + "\\b.*");
            }
            if (inside) {
                block.append(line).append('\n');
            }
        }
        assertThat(block).as("the help's entry for %s", name).isNotEmpty();
        return block.toString();
    }
}
