package hongbao.store.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SET's PostgreSQL URL as configured:
 * {@code postgresql://[user[:password]@]host[:port][,host[:port]...]/database[?params]}, or a {@code jdbc:postgresql:}
 * URL taken as it is. Several hosts are pgjdbc's multi-host form: with {@code targetServerType=primary} the driver
 * connects to whichever of them is the primary now, so a node follows a promoted standby by itself.
 * ({@link java.net.URI} cannot parse it: its host is null as soon as the authority names two.)
 *
 * @param user     percent-decoded, as the driver wants it
 * @param password percent-decoded
 * @param hosts    each {@code host:port} (the port defaulted to 5432), in the order given
 */
public record PostgresUrl(String jdbc, Optional<String> user, Optional<String> password, List<String> hosts) {
    private static final int DEFAULT_PORT = 5432;
    private static final Pattern URL = Pattern.compile("(?:postgresql|postgres)://([^/?#]*)(/[^?#]*)?(\\?[^#]*)?");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\[\\]:,@\\s]+)(?::(\\d{1,5}))?");

    public PostgresUrl {
        hosts = List.copyOf(hosts);
    }

    /** @throws IllegalArgumentException for anything else, naming what is wrong (never the password) */
    public static PostgresUrl parse(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresUrl(url, Optional.empty(), Optional.empty(), List.of());
        }
        Matcher whole = URL.matcher(url);
        if (!whole.matches()) {
            throw new IllegalArgumentException("not a PostgreSQL URL (postgresql://[user[:password]@]host[:port]"
                    + "[,host[:port]...]/database[?params]): " + redacted(url));
        }
        String authority = whole.group(1);
        int at = authority.lastIndexOf('@');
        Optional<String> userInfo = at < 0 ? Optional.empty() : Optional.of(authority.substring(0, at));
        List<String> hosts = hosts(authority.substring(at + 1), url);
        String path = whole.group(2) == null ? "/" : whole.group(2);
        String query = whole.group(3) == null ? "" : whole.group(3);
        return new PostgresUrl("jdbc:postgresql://" + String.join(",", hosts) + path + query,
                userInfo.map(info -> decoded(info.split(":", 2)[0])),
                userInfo.filter(info -> info.contains(":")).map(info -> decoded(info.substring(info.indexOf(':') + 1))),
                hosts);
    }

    /** The URL with its password, if any, replaced by {@code ***}: for messages and logs. */
    public static String redacted(String url) {
        return url.replaceFirst("(//[^:/@]+):[^@/]*@", "$1:***@");
    }

    private static List<String> hosts(String list, String url) {
        List<String> hosts = new ArrayList<>();
        for (String host : list.split(",", -1)) {
            Matcher one = HOST.matcher(host);
            if (!one.matches()) {
                throw new IllegalArgumentException("not a host[:port] in the PostgreSQL URL " + redacted(url) + ": '"
                        + host + "'");
            }
            int port = one.group(2) == null ? DEFAULT_PORT : Integer.parseInt(one.group(2));
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port " + port + " out of range in " + redacted(url));
            }
            hosts.add(one.group(1) + ":" + port);
        }
        return hosts;
    }

    /** Percent-decoding only: a '+' in a user name or password is itself, not a space. */
    private static String decoded(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
