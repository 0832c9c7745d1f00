package hongbao.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar target/hongbao.jar} as a real child process, for crash tests: started on a data directory and
 * store, killed, restarted, audited.
 */
public final class HongbaoProcess {
    private static final Pattern LISTENING = Pattern.compile("hongbao listening on (http://\\S+:(\\d+))");
    /** The key the child servers verify payment notifications with. */
    public static final String PROVIDER_KEY = "crash-test-provider-key";

    public final Process process;
    public final String baseUrl;
    private final OutputLog log;

    private HongbaoProcess(Process process, String baseUrl, OutputLog log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /**
     * How to launch the jar: the data directory, the store spec (null = SQLite), the admin key, extra JVM flags and
     * extra environment variables (HONGBAO_* settings).
     */
    public record Launcher(Path dataDir, String storeSpec, String adminKey, List<String> jvmFlags, Map<String, String> env) {

        public Launcher(Path dataDir, String storeSpec, String adminKey, List<String> jvmFlags) {
            this(dataDir, storeSpec, adminKey, jvmFlags, Map.of());
        }

        public Launcher withJvmFlags(String... flags) {
            return new Launcher(dataDir, storeSpec, adminKey, List.of(flags), env);
        }

        /** The same launcher with these variables set as well (or instead, for names it sets already). */
        public Launcher withEnv(Map<String, String> more) {
            Map<String, String> merged = new java.util.HashMap<>(env);
            merged.putAll(more);
            return new Launcher(dataDir, storeSpec, adminKey, jvmFlags, Map.copyOf(merged));
        }

        ProcessBuilder builder(String subcommand) {
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m"));
            command.addAll(jvmFlags);
            command.addAll(List.of("-jar", jar().toString(), subcommand));
            ProcessBuilder builder = new ProcessBuilder(command).directory(projectDir().toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("HONGBAO_"));
            env.put("HONGBAO_DATA_DIR", dataDir.toString());
            env.put("HONGBAO_ADMIN_KEY", adminKey);
            env.put("HONGBAO_PAYMENT_KEY", PROVIDER_KEY);
            env.put("HONGBAO_HOST", "127.0.0.1");
            env.put("HONGBAO_PORT", "0");
            if (storeSpec != null) {
                env.put("HONGBAO_STORE", storeSpec);
            }
            env.putAll(this.env);
            return builder;
        }

        /** Starts {@code serve} and waits until it listens; {@code started} collects it for cleanup. */
        public HongbaoProcess serve(String name, List<HongbaoProcess> started) throws IOException, InterruptedException {
            Process process = builder("serve").start();
            OutputLog log = new OutputLog();
            CompletableFuture<String> listening = new CompletableFuture<>();
            drain(process.getInputStream(), name + "-stdout", log, listening);
            drain(process.getErrorStream(), name + "-stderr", log, null);
            started.add(new HongbaoProcess(process, null, log));
            try {
                return new HongbaoProcess(process, listening.get(60, TimeUnit.SECONDS), log);
            } catch (TimeoutException e) {
                throw new AssertionError("the " + name + " server did not print 'hongbao listening on' within 60 s (alive="
                        + process.isAlive() + ")\n" + log.tail());
            } catch (ExecutionException e) {
                throw new AssertionError("the " + name + " server exited before listening (exit="
                        + (process.isAlive() ? "alive" : process.exitValue()) + ")\n" + log.tail());
            }
        }

        /**
         * Starts {@code serve} without waiting for it to listen: for a run a failpoint ends, maybe before it listens
         * (background jobs start first). The result has no base URL.
         */
        public HongbaoProcess launch(String name, List<HongbaoProcess> started) throws IOException {
            Process process = builder("serve").start();
            OutputLog log = new OutputLog();
            drain(process.getInputStream(), name + "-stdout", log, null);
            drain(process.getErrorStream(), name + "-stderr", log, null);
            HongbaoProcess launched = new HongbaoProcess(process, null, log);
            started.add(launched);
            return launched;
        }

        /** Runs the {@code audit} subcommand to its end. */
        public Finished audit(List<HongbaoProcess> started) throws Exception {
            return run(this, projectDir(), 60, "audit");
        }
    }

    /** A command run to its end: exit status, and what it printed on each stream. */
    public record Finished(int exitCode, String out, String err) {
        public List<String> errLines() {
            return err.lines().filter(line -> !line.isBlank()).toList();
        }

        /** Both streams, standard output first. */
        public String output() {
            return out + err;
        }
    }

    /**
     * Runs {@code java -jar target/hongbao.jar args...} in {@code workDir} with this launcher's environment, to its
     * end (at most {@code limitSeconds}).
     */
    public static Finished run(Launcher launcher, Path workDir, int limitSeconds, String... args) throws Exception {
        ProcessBuilder builder = launcher.builder(args[0]).directory(workDir.toFile());
        builder.command().addAll(List.of(args).subList(1, args.length));
        Path out = Files.createTempFile("hongbao-out", ".txt");
        Path err = Files.createTempFile("hongbao-err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(limitSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError("java -jar hongbao.jar " + String.join(" ", args) + " still running after "
                        + limitSeconds + " s; stderr:\n" + Files.readString(err));
            }
            return new Finished(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public String logTail() {
        return log.tail();
    }

    /** The first line the process prints (either stream) that passes the test, waiting at most {@code limit} for it. */
    public String awaitLine(java.util.function.Predicate<String> wanted, java.time.Duration limit) throws InterruptedException {
        return log.await(wanted, limit).orElseThrow(() -> new AssertionError("no such line within " + limit + "\n" + log.tail()));
    }

    /** Kills every process a test started and waits for it to go. */
    public static void destroyAll(List<HongbaoProcess> started) throws InterruptedException {
        for (HongbaoProcess server : started) {
            server.process.destroyForcibly();
            server.process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /** The last lines a child process printed, kept for failure messages. */
    private static final class OutputLog {
        private final Deque<String> lines = new ArrayDeque<>();
        private final List<String> awaited = new ArrayList<>();

        synchronized void add(String line) {
            lines.addLast(line);
            while (lines.size() > 80) {
                lines.removeFirst();
            }
            awaited.add(line);
            notifyAll();
        }

        synchronized java.util.Optional<String> await(java.util.function.Predicate<String> wanted, java.time.Duration limit)
                throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            for (int seen = 0; ; ) {
                for (; seen < awaited.size(); seen++) {
                    if (wanted.test(awaited.get(seen))) {
                        return java.util.Optional.of(awaited.get(seen));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return java.util.Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized String tail() {
            return "---- server output (tail) ----\n" + String.join("\n", lines);
        }
    }

    private static Path projectDir() {
        String basedir = System.getProperty("basedir");
        return Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
    }

    private static Path jar() {
        Path jar = projectDir().resolve("target/hongbao.jar");
        assertThat(Files.isRegularFile(jar)).as("%s exists (run after `package`)", jar).isTrue();
        return jar;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Reads a child's stream to the end on a daemon thread so the child never blocks on a full pipe. */
    private static void drain(InputStream stream, String name, OutputLog log, CompletableFuture<String> listening) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.add(line);
                    if (listening != null && !listening.isDone()) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            listening.complete(m.group(1));
                        }
                    }
                }
            } catch (IOException streamClosed) {
                log.add("(output stream ended: " + streamClosed.getMessage() + ")");
            } finally {
                if (listening != null) {
                    listening.completeExceptionally(new IllegalStateException("stdout closed"));
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
