package hongbao.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * An online copy of one SET's SQLite file: {@code VACUUM INTO} reads one consistent snapshot of the database (a read
 * transaction, so the service's writers go on committing) and writes it compacted to a new file.
 */
public final class SqliteSnapshot {
    private SqliteSnapshot() {
    }

    /** What a snapshot holds, read from the copy itself: its last transfer (the ledger's position) and its claims. */
    public record Contents(long lastTransferSeq, long transfers, long claims, long bytes) {
    }

    public static void copy(Path source, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + source.toAbsolutePath());
                    PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
                vacuum.setString(1, target.toAbsolutePath().toString());
                vacuum.execute();
            }
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
        }
    }

    public static Contents contents(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                PreparedStatement query = connection.prepareStatement("SELECT (SELECT COALESCE(MAX(seq), 0) FROM transfers), "
                        + "(SELECT COUNT(*) FROM transfers), (SELECT COUNT(*) FROM claims_all)");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return new Contents(rs.getLong(1), rs.getLong(2), rs.getLong(3), Files.size(file));
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
