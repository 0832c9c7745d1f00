package hongbao.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets given by configuration or generated once into the data directory (owner-only). A key shorter than
 * {@link #MIN_LENGTH} is refused wherever it comes from: an empty file left by a first start on a full disk would
 * otherwise run the service with an empty key that matches nothing, or worse, everything.
 */
public final class Secrets {
    public static final int MIN_LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /**
     * The secret kept in {@code file}, or a new one generated in memory if there is none: {@link #keep} writes it once
     * the service has started, so that a start refused for another reason leaves no file behind.
     *
     * @param remedy what else the operator can do about an unusable file, e.g. "or set HONGBAO_ADMIN_KEY"
     * @return the secret, and whether it was generated just now
     */
    public static Generated loadOrGenerate(Path file, String remedy) {
        if (Files.exists(file)) {
            String secret = read(file).strip();
            if (secret.length() < MIN_LENGTH) {
                throw new StartupFailure(file + " holds no usable key (" + secret.length() + " characters, at least "
                        + MIN_LENGTH + " needed; an earlier start may have been cut short): delete it to have a new one "
                        + "generated, " + remedy);
            }
            return new Generated(file, secret, false);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Generated(file, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), true);
    }

    /** Writes a secret generated just now into its file; one loaded from its file is there already. */
    public static void keep(Generated secret) {
        if (secret.isNew()) {
            writeAtomically(secret.file(), secret.value() + "\n");
        }
    }

    /** A key given by configuration, refused with the setting's name if it is too short to be a secret. */
    public static String requireConfigured(String setting, String value) {
        if (value.strip().length() < MIN_LENGTH) {
            throw new StartupFailure(setting + " must be at least " + MIN_LENGTH + " characters (it has "
                    + value.strip().length() + ")");
        }
        return value.strip();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StartupFailure("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Written to a temporary file, flushed to the disk, then renamed over the target and the directory flushed: a
     * crash or a full disk leaves either no file (the next start generates one) or the whole key, never a part.
     */
    private static void writeAtomically(Path file, String content) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(temporary);
            try (FileChannel channel = FileChannel.open(temporary, java.util.Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), ownerOnly())) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new StartupFailure("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    public record Generated(Path file, String value, boolean isNew) {
    }
}
