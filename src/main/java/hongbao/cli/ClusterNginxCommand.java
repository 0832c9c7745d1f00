package hongbao.cli;

import hongbao.cluster.NginxConfig;
import hongbao.domain.SetLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code hongbao cluster-nginx}: prints the nginx configuration that routes a cluster's requests to SET owners. */
@Command(name = "cluster-nginx", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Print an nginx configuration for a cluster: each packet's requests go to the node owning its SET "
                + "(read from the id's last two digits), other requests to any node; the other nodes back up each owner.",
                "Example: hongbao cluster-nginx --sets 3 --node 0=127.0.0.1:8081 --node 1=127.0.0.1:8082 "
                        + "--node 2=127.0.0.1:8083 --listen 8080 > DIR/nginx.conf; nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'"})
final class ClusterNginxCommand implements Callable<Integer> {
    @Option(names = "--shards", defaultValue = "64", description = "logical shards, as the nodes' --shards")
    int shards;

    @Option(names = "--sets", required = true, showDefaultValue = CommandLine.Help.Visibility.NEVER, description = "SETs (databases), as many as each node's --store lists")
    int sets;

    @Option(names = "--node", required = true, paramLabel = "N=HOST:PORT", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "node number N (0, 1, ... in order) and its HTTP address; repeat for each node")
    Map<Integer, String> nodes = new TreeMap<>();

    @Option(names = "--owner", paramLabel = "SET=N", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "SET owned by node N; by default node N owns the SETs s with s %% nodes = N, as `serve --own` should list them")
    Map<Integer, Integer> owners = new TreeMap<>();

    @Option(names = "--listen", defaultValue = "8080", description = "port or host:port nginx listens on")
    String listen;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(config().render());
        spec.commandLine().getOut().flush();
        return 0;
    }

    NginxConfig config() {
        List<String> addresses = new ArrayList<>();
        for (int node = 0; node < nodes.size(); node++) {
            String address = nodes.get(node);
            if (address == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--node numbers must be 0.." + (nodes.size() - 1) + ", not " + nodes.keySet());
            }
            addresses.add(address);
        }
        try {
            return NginxConfig.of(new SetLayout(shards, sets), addresses, owners, listen);
        } catch (IllegalArgumentException invalid) {
            throw new CommandLine.ParameterException(spec.commandLine(), invalid.getMessage(), invalid, null, null);
        }
    }
}
