package hongbao.app;

import hongbao.domain.Limits;
import hongbao.store.postgres.PostgresDayPartitions;
import hongbao.wiring.Stores;
import hongbao.testing.MutableClock;
import hongbao.testing.TestStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import hongbao.store.postgres.PostgresStore;
import hongbao.cluster.Ownership;
import hongbao.store.StoreSets;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The directory reads users, groups and memberships from their SETs through bounded caches. Two servers on the same
 * PostgreSQL databases are two {@link StoreSets} opened separately in this JVM: what one commits, the other's cache
 * must let go of (the change feed), and what it does not hear of must not stay wrong forever.
 */
class DirectoryTest {
    private static final int SHARDS = 4;
    /** Long enough that only the change feed, not expiry, can make an absence visible within the wait. */
    private static final Directory.Bounds ABSENCE_REMEMBERED = new Directory.Bounds(1000, 10_000, Duration.ofHours(1));
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;
    private final List<StoreSets> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(StoreSets::close);
    }

    /** On PostgreSQL the first server owns SET 0 and the second SET 1, as two nodes of a cluster would. */
    private StoreSets open(String spec) {
        int node = opened.size();
        Ownership ownership = spec.startsWith("sqlite") ? Ownership.single()
                : new Ownership(Set.of(node % 2), "http://node-" + node, Ownership.DEFAULT_LEASE, false);
        StoreSets sets = Stores.openSets(spec, dataDir, SHARDS, PostgresDayPartitions.DEFAULT_RETENTION_DAYS, ownership);
        opened.add(sets);
        return sets;
    }

    private static String twoSets(String store) {
        return store.equals("sqlite") ? "sqlite,sqlite" : TestStores.freshPostgresUrl() + "," + TestStores.freshPostgresUrl();
    }

    private static AccountService accounts(StoreSets sets, Directory directory) {
        return new AccountService(sets, directory, MutableClock.atNow(), Limits.DEFAULT);
    }

    /** Two servers on two PostgreSQL SETs: the first writes, the second only reads through its cache. */
    private record TwoServers(String spec, AccountService writer, Directory reader) {
    }

    private TwoServers twoServers() {
        String spec = twoSets("postgresql");
        StoreSets first = open(spec);
        StoreSets second = open(spec);
        return new TwoServers(spec, accounts(first, new Directory(first)), new Directory(second, ABSENCE_REMEMBERED));
    }

    @Test
    void membersAddedAndRemovedOnOneServerReachTheOthersCache() {
        TwoServers servers = twoServers();
        for (String user : List.of("alice", "bob", "carol")) {
            servers.writer().createUser(user, user);
        }
        servers.writer().createGroup("family", "Family", List.of("alice", "bob"));
        awaitTrue("the group is seen", () -> servers.reader().groupExists("family"));
        assertThat(servers.reader().isMember("family", "carol")).isFalse();

        servers.writer().addMembers("family", List.of("carol"));
        awaitTrue("carol's membership is seen", () -> servers.reader().isMember("family", "carol"));

        servers.writer().removeMember("family", "bob");
        awaitTrue("bob's leaving is seen", () -> !servers.reader().isMember("family", "bob"));
        assertThat(servers.reader().members("family")).containsExactly("alice", "carol");
    }

    @Test
    void aUserOrGroupUnknownOnOneServerIsKnownOnceAnotherCreatesIt() {
        TwoServers servers = twoServers();
        assertThat(servers.reader().userExists("dave")).isFalse();
        assertThat(servers.reader().groupExists("book-club")).isFalse();

        servers.writer().createUser("dave", "Dave");
        servers.writer().createGroup("book-club", "Book club", List.of("dave"));

        awaitTrue("dave is known", () -> servers.reader().userExists("dave"));
        assertThat(servers.reader().userName("dave")).contains("Dave");
        awaitTrue("the group is known", () -> servers.reader().isMember("book-club", "dave"));
    }

    /** A write nobody announces (here: plain SQL) is one whose notification was lost: the absence still expires. */
    @Test
    void anUnannouncedUserIsKnownOnceTheAbsenceExpires() throws SQLException {
        String spec = twoSets("postgresql");
        StoreSets sets = open(spec);
        Directory directory = new Directory(sets, new Directory.Bounds(1000, 10_000, Duration.ofMillis(200)));
        assertThat(directory.userExists("erin")).isFalse();

        execute(urlOf(spec, sets.layout().setOfUser("erin")), "INSERT INTO users (user_id, name, created_ms) VALUES (?, ?, 0)",
                "erin", "Erin");

        awaitTrue("erin is known", () -> directory.userExists("erin"));
    }

    /**
     * Notifications sent while a server's listening connection is down are lost to it: on reconnecting it forgets
     * what it cached of that SET. The membership is written without a notification, so only that can reveal it.
     */
    @Test
    void aServerWhoseListenerWasCutForgetsWhatItCachedOfThatSet() throws SQLException {
        TwoServers servers = twoServers();
        servers.writer().createUser("frank", "Frank");
        servers.writer().createUser("grace", "Grace");
        // Remembered as absent (for an hour) until the creation's notification arrives: once the group is seen, that
        // notification is spent, and no later one can drop the entry below.
        assertThat(servers.reader().groupExists("chess")).isFalse();
        servers.writer().createGroup("chess", "Chess", List.of("frank"));
        awaitTrue("the group is seen", () -> servers.reader().groupExists("chess"));
        assertThat(servers.reader().isMember("chess", "grace")).isFalse();
        String groupsDatabase = urlOf(servers.spec(), new hongbao.domain.SetLayout(SHARDS, 2).setOfGroup("chess"));

        execute(groupsDatabase, "INSERT INTO group_members (group_id, user_id) VALUES (?, ?)", "chess", "grace");
        assertThat(servers.reader().isMember("chess", "grace")).as("unannounced, so still cached as it was").isFalse();
        execute(groupsDatabase, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = ? AND datname = current_database()", "hongbao-directory-listener");

        awaitTrue("grace's membership is seen after the reconnect", () -> servers.reader().isMember("chess", "grace"));
        servers.writer().removeMember("chess", "grace");
        awaitTrue("and changes are heard again", () -> !servers.reader().isMember("chess", "grace"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theCachesStayWithinTheirBoundsAndStillAnswerRight(String store) {
        StoreSets sets = open(twoSets(store));
        Directory directory = new Directory(sets, new Directory.Bounds(10, 30, Duration.ofSeconds(1)));
        AccountService accounts = accounts(sets, directory);
        List<String> users = IntStream.range(0, 40).mapToObj(i -> "user-%02d".formatted(i)).toList();
        users.forEach(user -> accounts.createUser(user, user));
        for (int group = 0; group < 8; group++) {
            accounts.createGroup("group-" + group, "Group " + group, users.subList(group * 5, group * 5 + 5));
        }

        for (int round = 0; round < 2; round++) {
            users.forEach(user -> assertThat(directory.userExists(user)).isTrue());
            for (int group = 0; group < 8; group++) {
                assertThat(directory.isMember("group-" + group, users.get(group * 5))).isTrue();
                assertThat(directory.isMember("group-" + group, users.get((group * 5 + 5) % 40))).isFalse();
            }
        }

        assertThat(directory.cachedUsers()).isLessThanOrEqualTo(10);
        assertThat(directory.cachedGroupWeight()).isLessThanOrEqualTo(30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void peopleAndAUsersGroupsAreQueriedFromEverySet(String store) {
        StoreSets sets = open(twoSets(store));
        Directory directory = new Directory(sets);
        AccountService accounts = accounts(sets, directory);
        for (String user : List.of("ann", "ben", "cat", "dan", "eve")) {
            accounts.createUser(user, user.toUpperCase(java.util.Locale.ROOT));
        }
        accounts.createGroup("g-b", "B", List.of("cat", "ann"));
        accounts.createGroup("g-a", "A", List.of("cat", "dan"));
        accounts.createGroup("g-c", "C", List.of("ben"));

        assertThat(directory.people(3)).extracting(Directory.Person::userId).containsExactly("ann", "ben", "cat");
        assertThat(directory.groupsOf("cat")).containsExactly(
                new Directory.GroupCard("g-a", "A", List.of(new Directory.Person("cat", "CAT"), new Directory.Person("dan", "DAN"))),
                new Directory.GroupCard("g-b", "B", List.of(new Directory.Person("ann", "ANN"), new Directory.Person("cat", "CAT"))));
        assertThat(directory.groupsOf("eve")).isEmpty();
        assertThat(directory.unknownUsers(List.of("ann", "zed", "eve", "yan"))).containsExactly("zed", "yan");
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT + ": " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }

    private static String urlOf(String spec, int set) {
        return spec.split(",")[set];
    }

    private static void execute(String url, String sql, String... parameters) throws SQLException {
        String user = URI.create(url).getUserInfo();
        try (Connection connection = DriverManager.getConnection(PostgresStore.jdbcUrl(url), user, null);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.execute();
        }
    }
}
