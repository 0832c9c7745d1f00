package hongbao.cli;

import hongbao.cluster.NginxConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.domain.PacketIds;
import hongbao.domain.SetLayout;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The text nginx gets: which hint goes where, who backs up whom, and what is never retried. */
class NginxConfigTest {
    private static final List<String> THREE_NODES = List.of("127.0.0.1:8081", "127.0.0.1:8082", "127.0.0.1:8083");
    private static final Pattern HINT_LINE = Pattern.compile("^ {8}([0-9]{2}) (\\w+);$", Pattern.MULTILINE);

    private static String threeNodes() {
        return NginxConfig.of(new SetLayout(64, 3), THREE_NODES, Map.of(), "8080").render();
    }

    /** The body of {@code upstream name { ... }}, one server line per entry. */
    private static List<String> serversOf(String config, String upstream) {
        int start = config.indexOf("upstream " + upstream + " {");
        String block = config.substring(start, config.indexOf('}', start));
        return block.lines().map(String::strip).filter(line -> line.startsWith("server ")).toList();
    }

    @Test
    void everyShardsHintGoesToTheUpstreamOfItsSet() {
        String config = threeNodes();
        Matcher hints = HINT_LINE.matcher(config);
        int count = 0;
        while (hints.find()) {
            int shard = Integer.parseInt(hints.group(1));
            assertThat(hints.group(2)).isEqualTo("set_" + shard % 3);
            count++;
        }
        assertThat(count).isEqualTo(PacketIds.MAX_SHARDS);
        assertThat(config).contains("default all_nodes;")
                .contains("\"~^/v1/packets/[0-9]*([0-9][0-9])(/.*)?$\" $1;")
                .contains("location ~ ^/v1/packets/[0-9]+ {\n            proxy_pass http://$packet_upstream;")
                .contains("location / {\n            proxy_pass http://all_nodes;");
    }

    @Test
    void aSetsOwnerComesFirstAndEveryOtherNodeBacksItUp() {
        String config = threeNodes();

        assertThat(serversOf(config, "set_1")).containsExactly("server 127.0.0.1:8082;",
                "server 127.0.0.1:8081 backup;", "server 127.0.0.1:8083 backup;");
        assertThat(serversOf(config, "all_nodes")).containsExactly("server 127.0.0.1:8081;",
                "server 127.0.0.1:8082;", "server 127.0.0.1:8083;");
    }

    @Test
    void anOwnerOverrideMovesOneSetAndIsWrittenIntoTheHeader() {
        NginxConfig config = NginxConfig.of(new SetLayout(64, 3), THREE_NODES, Map.of(2, 0), "8080");

        assertThat(serversOf(config.render(), "set_2").getFirst()).isEqualTo("server 127.0.0.1:8081;");
        assertThat(config.ownerOfSet()).containsExactly(0, 1, 0);
        assertThat(config.render()).startsWith("# Made by: " + config.commandLine() + "\n")
                .contains("--owner 2=0 --listen 8080");
    }

    @Test
    void moreSetsThanNodesGoRoundTheNodes() {
        NginxConfig config = NginxConfig.of(new SetLayout(8, 4), THREE_NODES.subList(0, 2), Map.of(), "8080");

        assertThat(config.ownerOfSet()).containsExactly(0, 1, 0, 1);
        assertThat(config.render()).contains("        07 set_3;\n").doesNotContain(" 08 set_");
    }

    @Test
    void onlyFailuresBeforeANodeAnsweredAreRetriedAndNothingWritesOutsideThePrefix() {
        String config = threeNodes();

        assertThat(config).contains("proxy_next_upstream error timeout;\n").doesNotContain("non_idempotent;")
                .contains("keepalive 64;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
                        "proxy_set_header Host $http_host;", "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                        "proxy_connect_timeout 1s;", "access_log off;", "pid nginx.pid;", "error_log error.log warn;",
                        "client_body_temp_path client_body_temp;", "proxy_temp_path proxy_temp;");
        assertThat(config.lines().filter(line -> !line.strip().startsWith("#") && !line.contains("~^/v1/")))
                .noneMatch(line -> line.matches(".*\\s/\\w.*"));
    }

    @Test
    void addressesThatNginxWouldReadAsSyntaxAreRefused() {
        SetLayout layout = new SetLayout(64, 3);
        assertThatThrownBy(() -> NginxConfig.of(layout, List.of("127.0.0.1:8081; include /etc/passwd"), Map.of(), "8080"))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> NginxConfig.of(layout, List.of("127.0.0.1"), Map.of(), "8080")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> NginxConfig.of(layout, THREE_NODES, Map.of(), "80;")).hasMessageContaining("--listen");
        assertThatThrownBy(() -> NginxConfig.of(layout, THREE_NODES, Map.of(3, 0), "8080")).hasMessageContaining("SET 3");
        assertThatThrownBy(() -> NginxConfig.of(layout, THREE_NODES, Map.of(0, 3), "8080")).hasMessageContaining("node 3");
        assertThatThrownBy(() -> NginxConfig.of(layout, List.of("a:1", "a:1"), Map.of(), "8080")).hasMessageContaining("same address");
        assertThat(NginxConfig.of(layout, List.of("[::1]:8081", "node-b.local:8082"), Map.of(), "127.0.0.1:8080").render())
                .contains("server [::1]:8081;", "listen 127.0.0.1:8080;");
    }

    @Test
    void theCheckedInExampleIsWhatTheCommandPrintsForThreeLocalNodes() throws Exception {
        assertThat(Files.readString(Path.of("deploy/nginx.conf"))).isEqualTo(threeNodes());
    }

    @Test
    void theCommandPrintsTheConfigAndTellsAWrongNodeNumberInOneLine() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));

        int printed = command.execute("cluster-nginx", "--sets", "3", "--node", "0=127.0.0.1:8081", "--node",
                "1=127.0.0.1:8082", "--node", "2=127.0.0.1:8083", "--listen", "8080");
        assertThat(printed).isZero();
        assertThat(out.toString()).isEqualTo(threeNodes());

        int refused = command.execute("cluster-nginx", "--sets", "3", "--node", "0=127.0.0.1:8081", "--node", "2=127.0.0.1:8083");
        assertThat(refused).isEqualTo(2);
        assertThat(err.toString().lines().filter(line -> !line.isBlank()))
                .containsExactly("hongbao cluster-nginx: --node numbers must be 0..1, not [0, 2] (see --help)");
    }
}
