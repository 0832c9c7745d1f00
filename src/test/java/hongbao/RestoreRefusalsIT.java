package hongbao;

import static hongbao.testing.RawApi.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import hongbao.testing.HongbaoProcess;
import hongbao.testing.RawApi;
import hongbao.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore} as a real process, from a real backup: it follows a link to a backup, restores only a backup whose
 * files match its {@code backup.json} and hold no symbolic link, refuses a data directory it cannot create without a
 * trace left, and leaves nothing where {@code serve} would look when the copy fails its audit.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class RestoreRefusalsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_KEY = "restore-refusals-it-admin-key";

    @TempDir
    static Path shared;
    private static Path backup;

    @TempDir
    Path work;

    @BeforeAll
    static void aBackupOfAStoreWithMoney() throws Exception {
        assumeFalse(TestStores.postgres(), "backup and restore cover the SQLite store");
        Path source = shared.resolve("source");
        HongbaoProcess.Launcher launcher = new HongbaoProcess.Launcher(source, null, ADMIN_KEY, List.of());
        List<HongbaoProcess> started = new ArrayList<>();
        try {
            HongbaoProcess server = launcher.serve("source", started);
            RawApi admin = new RawApi(server.baseUrl, ADMIN_KEY);
            var tokens = admin.usersInGroup("restore-group", List.of("alice", "bob", "carol"));
            expect(admin.call("POST", "/v1/admin/users/alice/deposits", "{\"amount\":50000,\"reference\":\"restore-funds\"}"), 201);
            String packet = admin.as(tokens.get("alice")).sendLuckyPackets("restore-group", 1, 9_000, 2).getFirst();
            expect(admin.as(tokens.get("bob")).call("POST", "/v1/packets/" + packet + "/open", null), 200);
            server.process.destroy();
            assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            HongbaoProcess.destroyAll(started);
        }
        backup = shared.resolve("backup");
        HongbaoProcess.Finished backedUp = HongbaoProcess.run(launcher, shared, 120, "backup", "--to", backup.toString());
        assertThat(backedUp.exitCode()).as(backedUp.output()).isZero();
    }

    private HongbaoProcess.Finished restore(Path from, Path dataDir) throws Exception {
        return HongbaoProcess.run(new HongbaoProcess.Launcher(dataDir, null, ADMIN_KEY, List.of()), work, 120, "restore",
                "--from", from.toString(), "--data-dir", dataDir.toString());
    }

    /** A copy of the shared backup for one test to spoil. */
    private Path backupCopy() throws Exception {
        Path copy = work.resolve("backup-copy");
        try (Stream<Path> files = Files.walk(backup)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(backup.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    private static void assertRefusedInOneLine(HongbaoProcess.Finished run, String... mentions) {
        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        List<String> lines = run.output().lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("everything the refused restore printed").hasSize(1);
        assertThat(lines.get(0)).startsWith("hongbao restore: ").contains(mentions);
    }

    /** Nothing in the directory but what the test put there: no data directory, no staging directory. */
    private void assertNothingLeftBesides(String... expected) throws Exception {
        try (Stream<Path> entries = Files.list(work)) {
            assertThat(entries.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder(expected);
        }
    }

    @Test
    void aLinkToABackupIsFollowed() throws Exception {
        Path latest = Files.createSymbolicLink(work.resolve("latest"), backup);
        Path restored = work.resolve("restored");

        HongbaoProcess.Finished run = restore(latest, restored);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Files.readString(restored.resolve("token.secret"))).isEqualTo(Files.readString(backup.resolve("token.secret")));
        assertThat(JSON.readTree(run.out()).get("balanced").asBoolean()).isTrue();
        assertThat(restored.resolve("hongbao.db")).isRegularFile();
    }

    @Test
    void aMissingBackupIsSaidToNotExist() throws Exception {
        assertRefusedInOneLine(restore(work.resolve("nonexistent"), work.resolve("restored")), "does not exist");
        assertNothingLeftBesides();
    }

    @Test
    void anInvalidBackupJsonIsRefused() throws Exception {
        Path copy = backupCopy();
        Files.writeString(copy.resolve("backup.json"), "{\"startedAt\": ");

        assertRefusedInOneLine(restore(copy, work.resolve("restored")), "backup.json", "not a valid");
        assertNothingLeftBesides("backup-copy");
    }

    @Test
    void aFileThatDoesNotMatchBackupJsonIsRefused() throws Exception {
        Path copy = backupCopy();
        Files.writeString(copy.resolve("token.secret"), "another-token-secret-0123456789-0123456789",
                StandardOpenOption.TRUNCATE_EXISTING);

        assertRefusedInOneLine(restore(copy, work.resolve("restored")), "token.secret", "does not match");
        assertNothingLeftBesides("backup-copy");
    }

    @Test
    void aSymbolicLinkInsideABackupIsRefused() throws Exception {
        Path copy = backupCopy();
        Path elsewhere = Files.writeString(work.resolve("elsewhere.txt"), "any file of the machine");
        Files.createSymbolicLink(copy.resolve("admin.key"), elsewhere);

        assertRefusedInOneLine(restore(copy, work.resolve("restored")), "symbolic link", "admin.key");
        assertNothingLeftBesides("backup-copy", "elsewhere.txt");
    }

    @Test
    void aDataDirectoryThroughAMissingDirectoryIsRefusedWithNothingLeft() throws Exception {
        Path through = work.resolve("x").resolve("..").resolve("y");

        HongbaoProcess.Finished run = restore(backup, through);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output().lines().filter(line -> !line.isBlank()).toList()).hasSize(1);
        assertThat(run.output()).contains("HONGBAO_DATA_DIR", "does not exist");
        assertNothingLeftBesides();
    }

    @Test
    void aRestoreThatFailsItsAuditLeavesNothingWhereServeWouldLook() throws Exception {
        Path copy = backupCopy();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + copy.resolve("hongbao.db"));
                Statement forge = db.createStatement()) {
            forge.executeUpdate("UPDATE accounts SET balance = balance + 100000 WHERE account_id = 'wallet:bob'");
        }
        relist(copy, "hongbao.db");
        Path restored = work.resolve("restored");

        HongbaoProcess.Finished run = restore(copy, restored);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.out()).contains("wallet:bob");
        assertNothingLeftBesides("backup-copy");
        assertThat(run.err()).contains("does not balance", "nothing was restored");
    }

    /** Writes a file's new size and checksum into the copy's backup.json, as a forger would. */
    private static void relist(Path backupDir, String path) throws Exception {
        Path manifestFile = backupDir.resolve("backup.json");
        JsonNode manifest = JSON.readTree(Files.readString(manifestFile));
        byte[] bytes = Files.readAllBytes(backupDir.resolve(path));
        for (JsonNode file : manifest.path("files")) {
            if (file.get("path").asText().equals(path)) {
                ((ObjectNode) file).put("bytes", bytes.length);
                ((ObjectNode) file).put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
            }
        }
        Files.writeString(manifestFile, JSON.writeValueAsString(manifest));
    }
}
