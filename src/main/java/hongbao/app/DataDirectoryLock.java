package hongbao.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory: two would be two writers on the same shards, racing on every open. The operating
 * system's exclusive lock on {@code serve.lock} is held for the life of the server and dies with its process, so a
 * crashed server never leaves a stale lock behind.
 */
public final class DataDirectoryLock implements AutoCloseable {
    public static final String FILE_NAME = "serve.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the directory's lock, or refuses with one line if another server holds it. */
    public static DataDirectoryLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            Files.createDirectories(dataDir);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StartupFailure("cannot open " + file + " to lock the data directory: " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldByThisProcess) {
            lock = null;
        } catch (IOException e) {
            closeAfterFailure(channel);
            throw new StartupFailure("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeAfterFailure(channel);
            throw new StartupFailure("another hongbao server is running on the data directory "
                    + dataDir.toAbsolutePath() + " (it holds " + FILE_NAME + "); stop it first, or give this one another "
                    + "--data-dir");
        }
        return new DataDirectoryLock(channel, lock);
    }

    private static void closeAfterFailure(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            throw new StartupFailure("cannot close the data directory's lock file: " + e.getMessage(), e);
        }
    }

    /** Releases the lock; again is a no-op, so that a failed start may release what its clean-up released already. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot release the data directory's lock", e);
        }
    }
}
