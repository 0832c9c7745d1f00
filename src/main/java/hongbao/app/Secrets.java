package hongbao.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** Secrets generated once into the data directory (owner-only) when not given by configuration. */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** @return the secret, and whether it was generated just now */
    public static Generated loadOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return new Generated(Files.readString(file, StandardCharsets.UTF_8).strip(), false);
            }
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(file.getParent());
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
            restrictToOwner(file);
            return new Generated(secret, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        Optional.ofNullable(Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class))
                .ifPresent(view -> {
                    try {
                        view.setPermissions(PosixFilePermissions.fromString("rw-------"));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    public record Generated(String value, boolean isNew) {
    }
}
