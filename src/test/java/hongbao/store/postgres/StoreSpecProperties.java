package hongbao.store.postgres;

import static hongbao.testing.Properties.tries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import hongbao.wiring.Stores;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** HONGBAO_STORE's SETs and each SET's PostgreSQL URL, pgjdbc's multi-host form included. */
class StoreSpecProperties {
    private static final int TRIES = 500;

    @Test
    void aMultiHostUrlIsOneSetAndKeepsEveryHost() {
        String url = "postgresql://hongbao:s3cret@db-a:5433,db-b,10.0.0.7:6432/hb?targetServerType=primary";
        assertThat(Stores.entries(url)).containsExactly(url);
        PostgresUrl parsed = PostgresUrl.parse(url);
        assertThat(parsed.jdbc())
                .isEqualTo("jdbc:postgresql://db-a:5433,db-b:5432,10.0.0.7:6432/hb?targetServerType=primary");
        assertThat(parsed.user()).contains("hongbao");
        assertThat(parsed.password()).contains("s3cret");
        assertThat(Stores.describe(url, java.nio.file.Path.of("data")))
                .containsExactly("PostgreSQL postgresql://hongbao:***@db-a:5433,db-b,10.0.0.7:6432/hb?targetServerType=primary");
    }

    @Test
    void oldCommaSeparatedSpecsStillNameTheSameSets() {
        assertThat(Stores.entries("postgresql://u@db1/hb,postgresql://u@db2/hb"))
                .containsExactly("postgresql://u@db1/hb", "postgresql://u@db2/hb");
        assertThat(Stores.entries("sqlite, sqlite ,sqlite")).containsExactly("sqlite", "sqlite", "sqlite");
        assertThat(Stores.entries("sqlite,postgres://db/hb,jdbc:postgresql://a,b/hb"))
                .containsExactly("sqlite", "postgres://db/hb", "jdbc:postgresql://a,b/hb");
        assertThat(Stores.entries("postgresql://db1,sqlite:5432/hb,sqlite"))
                .as("a host called sqlite, with its port").containsExactly("postgresql://db1,sqlite:5432/hb", "sqlite");
        assertThat(Stores.entries(null)).containsExactly("sqlite");
        assertThat(Stores.entries(" ")).containsExactly("sqlite");
    }

    @Test
    void oneHostUrlsReadAsBefore() {
        assertThat(PostgresStore.jdbcUrl("postgresql://postgres@127.0.0.1/set0")).isEqualTo("jdbc:postgresql://127.0.0.1:5432/set0");
        assertThat(PostgresStore.jdbcUrl("postgres://[::1]:5433/hb?sslmode=require"))
                .isEqualTo("jdbc:postgresql://[::1]:5433/hb?sslmode=require");
        PostgresUrl encoded = PostgresUrl.parse("postgresql://hb%40corp:p%2Bw%3Ad@db/hb");
        assertThat(encoded.user()).contains("hb@corp");
        assertThat(encoded.password()).contains("p+w:d");
        assertThat(PostgresUrl.parse("postgresql://db/hb").user()).isEmpty();
    }

    @Test
    void malformedUrlsAreRefusedWithoutTheirPassword() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:topsecret@db1,,db2/hb"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("''")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:topsecret@db1:99999/hb"))
                .hasMessageContaining("99999").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://db/hb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stores.describe("sqlite,postgresql://db1,/hb", java.nio.file.Path.of("data")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    record Host(String name, Optional<Integer> port) {
        String written() {
            return name + port.map(p -> ":" + p).orElse("");
        }

        String jdbc() {
            return name + ":" + port.orElse(5432);
        }
    }

    record SetEntry(boolean sqlite, Optional<String> user, List<Host> hosts, String database, boolean primaryOnly) {
        String written() {
            if (sqlite) {
                return "sqlite";
            }
            return "postgresql://" + user.map(u -> u + "@").orElse("")
                    + String.join(",", hosts.stream().map(Host::written).toList()) + "/" + database
                    + (primaryOnly ? "?targetServerType=primary" : "");
        }
    }

    private static Gen<Host> hosts() {
        Gen<String> names = Generate.pick(List.of("db", "db-b", "postgres", "postgresql", "10.0.0.7", "[::1]", "pg.example"));
        Gen<Optional<Integer>> ports = booleans().all().zip(integers().between(1, 65_535),
                (given, port) -> given ? Optional.of(port) : Optional.empty());
        return names.zip(ports, Host::new);
    }

    private static Gen<SetEntry> entries() {
        Gen<Optional<String>> users = Generate.pick(List.of(Optional.<String>empty(), Optional.of("hongbao"),
                Optional.of("hongbao:pw"), Optional.of("u%2Cx:p%2C")));
        return booleans().all().zip(users, lists().of(hosts()).ofSizeBetween(1, 3),
                Generate.pick(List.of("hb", "set0", "sqlite")), booleans().all(), SetEntry::new);
    }

    @Test
    void everySetOfAJoinedSpecIsReadBackWithAllItsHosts() {
        tries(TRIES).forAll(lists().of(entries()).ofSizeBetween(1, 4), Generate.pick(List.of(",", ", ", " ,")))
                .checkAssert((sets, separator) -> {
                    String spec = String.join(separator, sets.stream().map(SetEntry::written).toList());
                    assertThat(Stores.entries(spec)).as(spec)
                            .containsExactlyElementsOf(sets.stream().map(SetEntry::written).toList());
                    for (SetEntry set : sets) {
                        if (!set.sqlite()) {
                            assertThat(PostgresUrl.parse(set.written()).hosts())
                                    .containsExactlyElementsOf(set.hosts().stream().map(Host::jdbc).toList());
                        }
                    }
                });
    }
}
