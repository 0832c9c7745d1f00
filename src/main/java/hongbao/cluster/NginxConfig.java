package hongbao.cluster;

import hongbao.domain.SetLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An nginx configuration that sends each packet's requests to the node owning the packet's SET, and every other
 * request to any node. nginx cannot take bits out of a decimal id, so it reads the shard from the id's last two
 * digits, the routing hint new ids carry ({@link hongbao.domain.PacketIds#routingHint}). A wrong guess (an id made
 * before the hint, or a map older than a take-over) reaches a node that forwards to the owner: slower, still right.
 * Pure: the text is built here, the command prints it.
 *
 * @param nodes       node addresses, {@code host:port}, indexed by node number
 * @param ownerOfSet  for each SET, the number of the node that owns it
 * @param listen      what nginx listens on: a port or {@code host:port}
 */
public record NginxConfig(SetLayout layout, List<String> nodes, List<Integer> ownerOfSet, String listen) {
    /** A port, or a host name, IPv4 address or bracketed IPv6 address with a port: nothing nginx would parse as syntax. */
    private static final Pattern ADDRESS = Pattern.compile("(?:(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):)?([0-9]{1,5})");
    static final String ALL_NODES = "all_nodes";
    /** Idle connections each nginx worker keeps open to an upstream, so a proxied request costs no TCP handshake. */
    private static final int KEEPALIVE_CONNECTIONS = 64;

    public NginxConfig {
        nodes = List.copyOf(nodes);
        ownerOfSet = List.copyOf(ownerOfSet);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one --node is needed");
        }
        for (String node : nodes) {
            if (!isAddress(node) || !node.contains(":")) {
                throw new IllegalArgumentException("node address must be host:port, not '" + node + "'");
            }
        }
        if (nodes.stream().distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("two nodes have the same address: " + nodes);
        }
        if (!isAddress(listen)) {
            throw new IllegalArgumentException("--listen must be a port or host:port, not '" + listen + "'");
        }
        if (ownerOfSet.size() != layout.sets()) {
            throw new IllegalArgumentException("need an owner for each of " + layout.sets() + " SETs, not " + ownerOfSet.size());
        }
        for (int owner : ownerOfSet) {
            if (owner < 0 || owner >= nodes.size()) {
                throw new IllegalArgumentException("owner node " + owner + " is not one of the " + nodes.size() + " nodes");
            }
        }
    }

    /**
     * SET {@code s} is owned by node {@code s % nodes} unless {@code owners} names another node for it, as
     * {@code serve --own} lists the SETs each node takes.
     */
    public static NginxConfig of(SetLayout layout, List<String> nodes, Map<Integer, Integer> owners, String listen) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("at least one --node is needed");
        }
        for (int set : owners.keySet()) {
            if (set < 0 || set >= layout.sets()) {
                throw new IllegalArgumentException("--owner names SET " + set + ", but there are " + layout.sets() + " SETs");
            }
        }
        List<Integer> ownerOfSet = new ArrayList<>();
        for (int set = 0; set < layout.sets(); set++) {
            ownerOfSet.add(owners.getOrDefault(set, set % nodes.size()));
        }
        return new NginxConfig(layout, nodes, ownerOfSet, listen);
    }

    private static boolean isAddress(String text) {
        if (text == null) {
            return false;
        }
        Matcher matcher = ADDRESS.matcher(text);
        if (!matcher.matches()) {
            return false;
        }
        int port = Integer.parseInt(matcher.group(1));
        return port >= 1 && port <= 65_535;
    }

    static String upstreamOfSet(int set) {
        return "set_" + set;
    }

    /** The two-digit hint nginx reads for a shard, as it appears at the end of an id. */
    static String hintOf(int shard) {
        return String.format("%02d", shard);
    }

    /** The command line that makes this configuration, written at its top so the file says how to remake it. */
    public String commandLine() {
        StringBuilder line = new StringBuilder("hongbao cluster-nginx --shards " + layout.shards() + " --sets " + layout.sets());
        for (int node = 0; node < nodes.size(); node++) {
            line.append(" --node ").append(node).append('=').append(nodes.get(node));
        }
        for (int set = 0; set < layout.sets(); set++) {
            if (ownerOfSet.get(set) != set % nodes.size()) {
                line.append(" --owner ").append(set).append('=').append(ownerOfSet.get(set));
            }
        }
        return line.append(" --listen ").append(listen).toString();
    }

    /**
     * An upstream's idle connections, closed by nginx after 60 s, well before a node would close them (Helidon: 5
     * min), so nginx never sends a request down a connection the node is closing: for a POST that would be a 502
     * nginx may not retry.
     */
    private static String upstreamEnd() {
        return "        keepalive " + KEEPALIVE_CONNECTIONS + ";\n        keepalive_timeout 60s;\n    }\n\n";
    }

    public String render() {
        return head() + hintMap() + upstreams() + server();
    }

    private String head() {
        return """
                # Made by: %s
                # Each packet's requests go to the node owning the packet's SET, found from the id's last two digits
                # (new ids end in their shard); other requests go to any node, which forwards them by the user.
                # A node that is not the owner forwards the request, so an old map gives right answers, only slower.
                # Runs from any prefix directory as any user; every path below is relative to that directory:
                #   nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'
                # (started as root, nginx's workers run as nobody: DIR must let them in for temporary files).

                worker_processes auto;
                pid nginx.pid;
                error_log error.log warn;

                # A proxied request holds two connections, the client's and the node's. 1024 stays within the open
                # file limit a user gets by default; for more clients, raise it with worker_rlimit_nofile (as root).
                events {
                    worker_connections 1024;
                }

                http {
                    access_log off;
                    client_body_temp_path client_body_temp;
                    proxy_temp_path proxy_temp;
                    fastcgi_temp_path fastcgi_temp;
                    uwsgi_temp_path uwsgi_temp;
                    scgi_temp_path scgi_temp;

                    # The last two digits of the packet id in the URL ("" for other URLs and one-digit ids).
                    map $uri $packet_hint {
                        "~^/v1/packets/[0-9]*([0-9][0-9])(/.*)?$" $1;
                        default "";
                    }

                """.formatted(commandLine());
    }

    private String hintMap() {
        StringBuilder text = new StringBuilder("""
                    # Shard s lives in SET s %% %d; a hint no shard has (an old id) goes to any node.
                    map $packet_hint $packet_upstream {
                        default %s;
                """.formatted(layout.sets(), ALL_NODES));
        for (int shard = 0; shard < layout.shards(); shard++) {
            text.append("        ").append(hintOf(shard)).append(' ').append(upstreamOfSet(layout.setOfShard(shard))).append(";\n");
        }
        return text.append("    }\n\n").toString();
    }

    private String upstreams() {
        StringBuilder text = new StringBuilder("""
                    # A SET's owner first; the other nodes are backups, used when the owner refuses a connection,
                    # does not connect within proxy_connect_timeout, or failed so in the last 10 s (nginx's default
                    # max_fails=1 fail_timeout=10s). A backup forwards to whoever owns the SET by then.
                """);
        for (int set = 0; set < layout.sets(); set++) {
            text.append("    upstream ").append(upstreamOfSet(set)).append(" {\n");
            int owner = ownerOfSet.get(set);
            text.append("        server ").append(nodes.get(owner)).append(";\n");
            for (int node = 0; node < nodes.size(); node++) {
                if (node != owner) {
                    text.append("        server ").append(nodes.get(node)).append(" backup;\n");
                }
            }
            text.append(upstreamEnd());
        }
        text.append("    # Requests not tied to a packet: wallet, sends, admin. Every node takes them.\n");
        text.append("    upstream ").append(ALL_NODES).append(" {\n");
        for (String node : nodes) {
            text.append("        server ").append(node).append(";\n");
        }
        return text.append(upstreamEnd()).toString();
    }

    private String server() {
        return """
                    server {
                        listen %s;

                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_connect_timeout 1s;
                        # Try the next node on a failed connect or a timeout. Without non_idempotent, nginx never
                        # sends a POST on to a second node once the first has received it: it must not run twice.
                        proxy_next_upstream error timeout;

                        location ~ ^/v1/packets/[0-9]+ {
                            proxy_pass http://$packet_upstream;
                        }

                        location / {
                            proxy_pass http://%s;
                        }
                    }
                }
                """.formatted(listen, ALL_NODES);
    }
}
