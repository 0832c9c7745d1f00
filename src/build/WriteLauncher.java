import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Run by the build on the JDK its toolchain picked (java WriteLauncher.java target/hongbao): writes the launcher script
 * that starts the jar beside it on this same JDK, so that {@code target/hongbao serve} works where the default
 * {@code java} on PATH is too old.
 */
public final class WriteLauncher {
    public static void main(String[] args) throws Exception {
        Path launcher = Path.of(args[0]);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String script = "#!/bin/sh\n"
                + "# Written by the build: runs hongbao on the JDK it was built and tested with (Java "
                + Runtime.version().feature() + ").\n"
                + "exec " + quoted(java.toString()) + " -jar \"$(dirname \"$0\")/hongbao.jar\" \"$@\"\n";
        Files.writeString(launcher, script);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** For sh: in single quotes, each single quote closed, escaped and reopened. */
    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
