package hongbao.cli;

import picocli.CommandLine.Option;

/** PostgreSQL's hot-table retention: for the commands that may open PostgreSQL (not backup and restore). */
final class RetentionOption {
    @Option(names = "--retention-days", defaultValue = "${env:HONGBAO_RETENTION_DAYS:-31}", description = "PostgreSQL: days before a day's packets move to cold storage (HONGBAO_RETENTION_DAYS)")
    int retentionDays;
}
