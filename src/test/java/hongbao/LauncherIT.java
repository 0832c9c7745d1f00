package hongbao;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, {@code target/hongbao serve}, in a real process on a PATH whose {@code java} is older
 * than 21 and with no JAVA_HOME: the launcher the build wrote starts the jar on the JDK the build used.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIT {
    /** Debian's default java on this kind of machine, too old for the jar; without it, PATH has no JDK 21+ anyway. */
    private static final Path OLD_JAVA = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin");

    @TempDir
    Path dir;

    private static Path projectDir() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    }

    private ProcessBuilder launcher(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(projectDir().resolve("target/hongbao").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("HONGBAO_") || name.equals("JAVA_HOME"));
        env.put("PATH", (Files.isDirectory(OLD_JAVA) ? OLD_JAVA + ":" : "") + "/usr/bin:/bin");
        env.put("HONGBAO_HOST", "127.0.0.1");
        env.put("HONGBAO_PORT", "0");
        return builder;
    }

    @Test
    void theLauncherRunsTheJarOnTheBuildsJdkWhateverJavaIsOnThePath() throws Exception {
        Path script = projectDir().resolve("target/hongbao");
        assertThat(script).as("written by `mvn package`").isExecutable();
        assertThat(Files.readString(script)).contains(Path.of(System.getProperty("java.home"), "bin", "java").toString());

        Process serve = launcher("serve").redirectErrorStream(true).start();
        try {
            CompletableFuture<String> listening = new CompletableFuture<>();
            StringBuilder output = new StringBuilder();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                        java.util.regex.Matcher url = java.util.regex.Pattern.compile("listening on (http://\\S+)").matcher(line);
                        if (url.find()) {
                            listening.complete(url.group(1));
                        }
                    }
                } catch (java.io.IOException closed) {
                    listening.completeExceptionally(closed);
                }
                listening.completeExceptionally(new AssertionError("the launcher's server ended before listening"));
            });
            String baseUrl;
            try {
                baseUrl = listening.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                synchronized (output) {
                    throw new AssertionError("target/hongbao serve did not listen:\n" + output, e);
                }
            }
            HttpResponse<String> ready = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create(baseUrl + "/ready")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(dir.resolve("data/admin.key")).as("the README's ./data, beside where it was started").isRegularFile();
            reader.interrupt();
        } finally {
            serve.destroyForcibly();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
