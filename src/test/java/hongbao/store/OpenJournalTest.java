package hongbao.store;

import hongbao.domain.Packet;

import hongbao.store.journal.OpenJournal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hongbao.domain.PacketRules;
import hongbao.domain.SetLayout;
import hongbao.testing.SingleSqliteWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal append whose COMMIT reports a failure: the journal asks the database what happened, because rows kept by a
 * commit that "failed" must be pending like any others, and rows that are not there must not be.
 */
class OpenJournalTest {

    @TempDir
    Path dir;

    /** How the next COMMIT goes wrong. */
    enum CommitFault { NONE, FAILS_AFTER_COMMITTING, FAILS_WITHOUT_COMMITTING }

    private CommitFault nextCommit = CommitFault.NONE;
    /** How the COMMIT after the next one goes wrong: the one of the journal's look for the rows. */
    private CommitFault commitAfterNext = CommitFault.NONE;

    @Test
    void aCommitThatFailedAfterTakingEffectLeavesItsEntriesPending() throws Exception {
        try (Connection connection = faultyConnection()) {
            OpenJournal journal = new OpenJournal(new SingleSqliteWriter(connection), SetLayout.ONE_SET);
            journal.recover(0, id -> java.util.Optional.empty());
            List<PacketRules.Opened> opens = JournalFixtures.opens(JournalFixtures.packet(), "alice", "bob");

            nextCommit = CommitFault.FAILS_AFTER_COMMITTING;
            journal.append(opens);

            assertThat(journal.pending()).extracting(OpenJournal.JournaledOpen::op).containsExactly(1L, 2L);
            assertThat(rows(connection)).isEqualTo(2);
        }
    }

    @Test
    void aCommitThatDidNotTakeEffectFailsAndItsOpsAreUsedAgain() throws Exception {
        try (Connection connection = faultyConnection()) {
            OpenJournal journal = new OpenJournal(new SingleSqliteWriter(connection), SetLayout.ONE_SET);
            journal.recover(0, id -> java.util.Optional.empty());
            List<PacketRules.Opened> opens = JournalFixtures.opens(JournalFixtures.packet(), "alice", "bob");

            nextCommit = CommitFault.FAILS_WITHOUT_COMMITTING;
            assertThatThrownBy(() -> journal.append(opens)).isInstanceOf(StoreException.class);
            assertThat(journal.backlog()).isZero();
            assertThat(rows(connection)).isZero();

            journal.append(opens);
            assertThat(journal.pending()).extracting(OpenJournal.JournaledOpen::op).containsExactly(1L, 2L);
        }
    }

    /** Found by simulation seed 4675666377204090027: such an open was answered "not applied" and never derived. */
    @Test
    void aCommitThatFailedAndCannotBeLookedForIsUnknownAndSettledBeforeTheNextAppend() throws Exception {
        try (Connection connection = faultyConnection()) {
            OpenJournal journal = new OpenJournal(new SingleSqliteWriter(connection), SetLayout.ONE_SET);
            journal.recover(0, id -> java.util.Optional.empty());
            List<PacketRules.Opened> opens = JournalFixtures.opens(JournalFixtures.packet(), "alice", "bob", "carol");

            nextCommit = CommitFault.FAILS_AFTER_COMMITTING;
            commitAfterNext = CommitFault.FAILS_WITHOUT_COMMITTING;
            assertThatThrownBy(() -> journal.append(opens.subList(0, 2))).isInstanceOf(CommitOutcomeUnknown.class);
            assertThat(rows(connection)).isEqualTo(2);
            assertThat(journal.pending()).isEmpty();
            assertThat(journal.backlog()).as("reads must catch up, and so settle it").isEqualTo(2);

            journal.append(opens.subList(2, 3));
            assertThat(journal.pending()).extracting(OpenJournal.JournaledOpen::op).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void anUncertainBatchThatWasNotKeptIsForgottenAndItsOpsAreNotUsedAgain() throws Exception {
        try (Connection connection = faultyConnection()) {
            OpenJournal journal = new OpenJournal(new SingleSqliteWriter(connection), SetLayout.ONE_SET);
            journal.recover(0, id -> java.util.Optional.empty());
            List<PacketRules.Opened> opens = JournalFixtures.opens(JournalFixtures.packet(), "alice", "bob");

            nextCommit = CommitFault.FAILS_WITHOUT_COMMITTING;
            commitAfterNext = CommitFault.FAILS_WITHOUT_COMMITTING;
            assertThatThrownBy(() -> journal.append(opens)).isInstanceOf(CommitOutcomeUnknown.class);

            journal.settleUncertain();
            assertThat(journal.backlog()).isZero();
            journal.append(opens);
            assertThat(journal.pending()).extracting(OpenJournal.JournaledOpen::op).containsExactly(3L, 4L);
        }
    }

    private static long rows(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT COUNT(*) FROM open_journal")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A SQLite connection whose statements obey {@link #nextCommit} once. */
    private Connection faultyConnection() throws SQLException {
        Connection real = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("journal.db"));
        OpenJournal.createSqliteTable(real);
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    // The journal sends BEGIN, COMMIT and ROLLBACK through plain statements.
                    return method.getName().equals("createStatement") ? faulty((Statement) result) : result;
                });
    }

    private Statement faulty(Statement real) {
        return (Statement) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("execute") && "COMMIT".equals(args[0]) && nextCommit != CommitFault.NONE) {
                        CommitFault fault = nextCommit;
                        nextCommit = commitAfterNext;
                        commitAfterNext = CommitFault.NONE;
                        real.execute(fault == CommitFault.FAILS_AFTER_COMMITTING ? "COMMIT" : "ROLLBACK");
                        // The transaction is over either way; the ROLLBACK the journal sends next must not fail.
                        real.execute("BEGIN");
                        throw new SQLException("simulated: the connection broke during COMMIT");
                    }
                    return invoke(real, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
