package hongbao.cli;

import hongbao.app.StartupFailure;
import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "hongbao", mixinStandardHelpOptions = true, version = "hongbao 0.1",
        description = "A money-safe, high-concurrency red packet service.",
        subcommands = {ServeCommand.class, AuditCommand.class, hongbao.bench.BenchCommand.class,
                hongbao.paysim.ProviderSimCommand.class, hongbao.merchant.MerchantSendCommand.class,
                BackupCommand.class, RestoreCommand.class, ClusterNginxCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        hongbao.http.HelidonLogging.routeJulToSlf4j();
        System.exit(commandLine().execute(args));
    }

    /** The commands, with configuration and start-up errors told in one line and exit status 2. */
    static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setParameterExceptionHandler((problem, args) -> {
                    CommandLine command = problem.getCommandLine();
                    command.getErr().println(commandName(command) + ": " + parameterProblem(problem, args) + " (see --help)");
                    return 2;
                })
                .setExecutionExceptionHandler((failure, command, parsed) -> {
                    if (failure instanceof StartupError || failure instanceof StartupFailure) {
                        command.getErr().println(commandName(command) + ": " + failure.getMessage());
                        return 2;
                    }
                    throw failure;
                });
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** "hongbao serve" for a subcommand, "hongbao" for hongbao itself. */
    private static String commandName(CommandLine command) {
        return command.getParent() == null ? command.getCommandName() : "hongbao " + command.getCommandName();
    }

    /**
     * Picocli's wording, except: a mistyped command says so with the commands to choose from, and a bad value that came
     * from an environment variable (not from the command line) names the variable, the place to change it.
     */
    private static String parameterProblem(CommandLine.ParameterException problem, String[] args) {
        if (problem instanceof CommandLine.UnmatchedArgumentException unmatched && problem.getCommandLine().getParent() == null
                && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
            return "'" + unmatched.getUnmatched().get(0) + "' is not a command; the commands are "
                    + String.join(", ", problem.getCommandLine().getSubcommands().keySet());
        }
        if (problem.getArgSpec() instanceof CommandLine.Model.OptionSpec option && option.longestName().startsWith("--")) {
            // every setting --some-thing has its variable HONGBAO_SOME_THING (StartupError.named is the other way)
            String variable = "HONGBAO_" + option.longestName().substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            boolean onCommandLine = java.util.Arrays.stream(args).anyMatch(arg -> java.util.Arrays.stream(option.names())
                    .anyMatch(name -> arg.equals(name) || arg.startsWith(name + "=")));
            if (!onCommandLine && System.getenv(variable) != null) {
                return StartupError.named(variable) + ": "
                        + problem.getMessage().replaceFirst("^Invalid value for option '[^']*': ", "");
            }
        }
        return problem.getMessage();
    }

}
