package hongbao.store.sql;

import hongbao.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Reads on the readers' pool: one pooled connection per statement, every failure a {@link StoreException}. */
public final class SqlReader {
    private final DataSource readers;

    public SqlReader(DataSource readers) {
        this.readers = readers;
    }

    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection connection = readers.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            List<T> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("query failed: " + e.getMessage(), e);
        }
    }

    /** A connection of its own, for reads that must share one snapshot; the caller closes it. */
    public Connection connection() throws SQLException {
        return readers.getConnection();
    }
}
