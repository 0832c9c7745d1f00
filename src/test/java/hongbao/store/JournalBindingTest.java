package hongbao.store;

import hongbao.store.journal.OpenJournal;
import hongbao.store.sqlite.SqliteStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding after a clean close, in-process (JournalBindingIT kills real servers): the tables then hold everything,
 * so a missing journal is replaced by a new one, while another data directory's journal is still refused. And the
 * trim that keeps the journal's highest op from falling behind the tables.
 */
class JournalBindingTest {
    @TempDir
    Path dir;

    @Test
    void aJournalMissingAfterACleanCloseIsReplacedByANewOne() throws Exception {
        SqliteStore.open(dir, 4).close();
        String first = journalId(dir);
        Files.delete(dir.resolve(SqliteStore.JOURNAL_FILE_NAME));

        SqliteStore.open(dir, 4).close();

        assertThat(journalId(dir)).isNotNull().isNotEqualTo(first);
    }

    @Test
    void anotherDataDirectorysJournalIsRefusedEvenAfterACleanClose() throws Exception {
        Path mine = dir.resolve("mine");
        Path other = dir.resolve("other");
        SqliteStore.open(mine, 4).close();
        SqliteStore.open(other, 4).close();
        Files.copy(other.resolve(SqliteStore.JOURNAL_FILE_NAME), mine.resolve(SqliteStore.JOURNAL_FILE_NAME),
                StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> SqliteStore.open(mine, 4)).isInstanceOf(StoreRefused.class)
                .hasMessageStartingWith(mine.resolve(SqliteStore.JOURNAL_FILE_NAME).toString())
                .hasMessageContaining("another data directory", "A lost or replaced journal");
    }

    /** Trimming keeps the newest entry, so the journal's highest op never falls behind what the tables derived. */
    @Test
    void trimmingEverythingDerivedKeepsTheNewestEntry() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"))) {
            OpenJournal.createSqliteTable(connection);
            OpenJournal journal = new OpenJournal(new hongbao.testing.SingleSqliteWriter(connection),
                    hongbao.domain.SetLayout.ONE_SET);
            journal.recover(0, id -> java.util.Optional.empty());
            journal.append(JournalFixtures.opens(JournalFixtures.packet(), "alice", "bob", "carol"));

            journal.trim(3);

            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT COUNT(*), MAX(op) FROM open_journal")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
                assertThat(rs.getLong(2)).isEqualTo(3);
            }
        }
    }

    private static String journalId(Path dataDir) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT journal_id FROM journal_marks")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
