package hongbao.store;

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
 * so a missing journal is replaced by a new one, while another data directory's journal is still refused.
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

    private static String journalId(Path dataDir) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT journal_id FROM journal_marks")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
