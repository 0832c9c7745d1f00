package hongbao.cli;

import hongbao.app.SetsAudit;
import hongbao.app.StartupFailure;
import hongbao.domain.AuditReport;
import hongbao.http.Json;
import hongbao.store.StoreSets;
import hongbao.wiring.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code backup} and {@code restore} of the embedded SQLite store, while the service runs. A backup directory has the
 * data directory's layout (one file per SET, the secrets) and a {@code backup.json} that says what each SET's copy
 * holds and lists every file with its size and SHA-256. Restoring checks the files against that list, copies them
 * into a staging directory beside the new data directory, audits the copy, and only then moves it into place.
 */
final class Backups {
    static final String MANIFEST = "backup.json";
    static final List<String> SECRETS = List.of("admin.key", "token.secret", "payment.key");
    /** Restored files hold secrets and the ledger: the owner's alone, like the data directory's own. */
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private Backups() {
    }

    /** What one SET's copy holds: the ledger position (last transfer seq) it ends at, its claims, its size. */
    record SetCopy(int set, String file, long lastTransferSeq, long transfers, long claims, long bytes) {
    }

    /** One file of a backup, by its path inside it ("/"-separated), with what restore checks it against. */
    record FileCopy(String path, long bytes, String sha256) {
    }

    record Manifest(String startedAt, String finishedAt, int shards, List<SetCopy> sets, boolean balanced,
            List<String> problems, List<FileCopy> files) {
    }

    /** How many SETs the spec has, all SQLite; PostgreSQL is backed up with its own tools (README, "Operating"). */
    static int sqliteSets(String store, String what) {
        if (!StartupChecks.embeddedStore(store)) {
            throw new StartupError("HONGBAO_STORE", what + " covers the embedded SQLite store; back up PostgreSQL with "
                    + "pg_dump or a base backup with WAL archiving (README, \"Operating\")");
        }
        return hongbao.wiring.Stores.entries(store).size();
    }

    /** @param setting how the user named the directory, e.g. "--to" */
    static void requireEmpty(Path dir, String setting) {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new StartupFailure(setting + ": " + dir + " is not empty; name a new directory");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (Files.exists(dir)) {
            throw new StartupFailure(setting + ": " + dir + " is not a directory");
        }
    }

    /** The backup directory {@code --from} names, through a link to it (such as a {@code latest} link). */
    static Path backupDirectory(Path from) {
        if (!Files.exists(from)) {
            throw new StartupFailure("--from " + from + " does not exist");
        }
        if (!Files.isDirectory(from)) {
            throw new StartupFailure("--from " + from + " is not a directory written by backup");
        }
        try {
            return from.toRealPath();
        } catch (IOException e) {
            throw new StartupFailure("--from " + from + " cannot be resolved: " + e.getMessage(), e);
        }
    }

    static Manifest manifest(Path backup) {
        Path file = backup.resolve(MANIFEST);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new StartupFailure("--from " + backup + " holds no " + MANIFEST + ": not a backup");
        }
        Manifest manifest;
        try {
            manifest = Json.MAPPER.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new StartupFailure(file + " is not a valid " + MANIFEST + ": " + e.getMessage().lines().findFirst()
                    .orElse(""), e);
        }
        if (manifest == null || manifest.files() == null || manifest.files().isEmpty()) {
            throw new StartupFailure(file + " lists no files with their checksums (a backup taken before they were "
                    + "recorded): take a new backup");
        }
        for (FileCopy copy : manifest.files()) {
            if (copy == null || copy.path() == null || copy.sha256() == null || !safeRelative(copy.path())) {
                throw new StartupFailure(file + " lists a file outside the backup or without its checksum: " + copy);
            }
        }
        return manifest;
    }

    /** A path inside the backup: relative, no "." or ".." segments, not the manifest itself. */
    static boolean safeRelative(String path) {
        Path relative = Path.of(path);
        return !path.isEmpty() && !relative.isAbsolute() && relative.normalize().toString().equals(path)
                && !path.startsWith("..") && !path.equals(MANIFEST);
    }

    /**
     * The backup holds exactly the files its manifest lists, all regular files: no symbolic link anywhere (one
     * could bring any file of the machine in as a secret), nothing missing, nothing extra.
     */
    static void requireExactly(Path backup, Manifest manifest) {
        Set<String> listed = new TreeSet<>();
        manifest.files().forEach(copy -> listed.add(copy.path()));
        Set<String> found = new TreeSet<>();
        try (Stream<Path> paths = Files.walk(backup)) {
            for (Path path : paths.toList()) {
                String relative = slashed(backup.relativize(path));
                if (Files.isSymbolicLink(path)) {
                    throw new StartupFailure("--from " + backup + " holds a symbolic link, " + relative
                            + ": a backup holds only the files it copied");
                }
                if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    if (!relative.equals(MANIFEST) && !listed.contains(relative)) {
                        throw new StartupFailure("--from " + backup + " holds " + relative + ", which " + MANIFEST
                                + " does not list");
                    }
                    found.add(relative);
                } else if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    throw new StartupFailure("--from " + backup + " holds " + relative + ", which is not a file");
                }
            }
        } catch (IOException e) {
            throw new StartupFailure("--from " + backup + " cannot be read: " + e.getMessage(), e);
        }
        listed.removeAll(found);
        if (!listed.isEmpty()) {
            throw new StartupFailure("--from " + backup + ": " + MANIFEST + " lists " + listed.iterator().next()
                    + ", which is missing");
        }
    }

    /** A directory beside the target, so that moving it into place is one rename; serve never looks there. */
    static Path createStaging(Path parent, Path target) {
        try {
            return Files.createTempDirectory(parent, "." + target.getFileName() + ".restoring-");
        } catch (IOException e) {
            throw new StartupError("HONGBAO_DATA_DIR", "cannot create a directory in " + parent + ": " + e.getMessage(), e);
        }
    }

    /** Copies every listed file, checking the copy (not the backup, which could change meanwhile) against the list. */
    static void copyVerified(Path backup, Manifest manifest, Path staging) {
        for (FileCopy listed : manifest.files()) {
            Path source = backup.resolve(listed.path());
            Path target = staging.resolve(listed.path());
            FileCopy copied;
            try {
                Files.createDirectories(target.getParent());
                Files.createFile(target, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS), sha256);
                        OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                    long bytes = in.transferTo(out);
                    copied = new FileCopy(listed.path(), bytes, HexFormat.of().formatHex(sha256.digest()));
                }
            } catch (IOException e) {
                throw new StartupFailure("cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
            if (!copied.equals(listed)) {
                throw new StartupFailure("--from " + backup + ": " + listed.path() + " does not match " + MANIFEST + " ("
                        + copied.bytes() + " bytes, sha256 " + copied.sha256() + "; listed " + listed.bytes()
                        + " bytes, sha256 " + listed.sha256() + ")");
            }
        }
    }

    /** Every file of a finished backup, with its size and SHA-256. */
    static List<FileCopy> listed(Path backup) {
        List<FileCopy> files = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(backup)) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                try (InputStream in = new DigestInputStream(Files.newInputStream(path), sha256)) {
                    long bytes = in.transferTo(OutputStream.nullOutputStream());
                    files.add(new FileCopy(slashed(backup.relativize(path)), bytes, HexFormat.of().formatHex(sha256.digest())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the backup " + backup, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        return files;
    }

    static String slashed(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }

    /** One rename: serve on the target sees nothing, then the whole audited copy (an empty target is replaced). */
    static void moveIntoPlace(Path staging, Path target) {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StartupFailure("cannot move the restored copy into " + target + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the staging directory " + dir, e);
        }
    }

    /** SQLite only: PostgreSQL's retention does not apply, so backup and restore do not offer it. */
    static AuditReport audit(String store, Path dataDir, int shards) {
        try (StoreSets sets = Stores.openSets(store, dataDir, shards, hongbao.store.postgres.PostgresDayPartitions.DEFAULT_RETENTION_DAYS)) {
            return SetsAudit.run(sets, Instant.now());
        }
    }

    static void copySecrets(Path from, Path to) {
        for (String secret : SECRETS) {
            Path source = from.resolve(secret);
            if (Files.isRegularFile(source)) {
                try {
                    Files.copy(source, to.resolve(secret), StandardCopyOption.COPY_ATTRIBUTES);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy " + source + " to " + to, e);
                }
            }
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
