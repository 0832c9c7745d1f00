package hongbao.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the data lives: options shared by every command that opens the store. */
final class StoreOptions {
    @Option(names = "--data-dir", defaultValue = "${env:HONGBAO_DATA_DIR:-./data}",
            description = "embedded database and generated secrets (HONGBAO_DATA_DIR, default ./data)")
    Path dataDir;

    @Option(names = "--store", defaultValue = "${env:HONGBAO_STORE}",
            description = "one store per SET, comma-separated: sqlite or postgresql://user@host:port[,host:port...]/db[?targetServerType=primary]; unset = one SQLite SET in the data dir (HONGBAO_STORE)")
    String store;

    @Option(names = "--shards", defaultValue = "${env:HONGBAO_SHARDS:-64}", description = "logical shards, fixed per data dir, 1..64 (HONGBAO_SHARDS)")
    int shards;
}
