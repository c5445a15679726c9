package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the built {@code bin/kpod} as a user would, against its own graph root, run root and
 * network config dir, so tests never touch each other or a user's containers. Closing it
 * removes everything and checks that nothing leaked: no mounts, conmon processes, runc
 * containers or rows.
 */
public final class KpodHarness implements AutoCloseable {
    public static final String IMAGE = "localhost/busybox:latest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path rootfsTar;

    private final Path base;
    private final Path bin;

    /** What one kpod invocation did. */
    public record Result(int code, String out, String err) {
        public Result ok() {
            assertThat(code).as("exit code; stderr: %s; stdout: %s", err, out).isZero();
            return this;
        }

        public String trimmed() {
            return out.strip();
        }
    }

    public KpodHarness() {
        try {
            base = Files.createTempDirectory(Path.of("/var/tmp"), "ke2e");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bin = Path.of(System.getProperty("kpod.bin", "../bin/kpod")).toAbsolutePath().normalize();
        requireRuntime();
    }

    /** In `make test` a missing runtime part fails the run loudly instead of skipping. */
    private void requireRuntime() {
        assertThat(bin).as("bin/kpod").isExecutable();
        for (String tool : List.of("/usr/bin/conmon", "/usr/bin/catatonit", "/bin/busybox")) {
            assertThat(Path.of(tool)).as(tool + " (run `make deps`)").exists();
        }
        assertThat(Path.of("/usr/sbin/runc").toFile().exists() || Path.of("/usr/bin/runc").toFile().exists())
                .as("runc (run `make deps`)").isTrue();
    }

    public Path base() {
        return base;
    }

    public Path root() {
        return base.resolve("root");
    }

    public Path runRoot() {
        return base.resolve("run");
    }

    /** The bin/kpod under test. */
    public Path bin() {
        return bin;
    }

    public List<String> globalArgs() {
        return List.of("--root", root().toString(), "--runroot", runRoot().toString(),
                "--network-config-dir", base.resolve("net").toString());
    }

    public Result run(String... args) {
        return runWithInput(null, args);
    }

    public Result runWithInput(String stdin, String... args) {
        return runWithEnv(java.util.Map.of(), stdin, args);
    }

    /** Runs kpod in the working directory {@code dir} (for commands that write files there). */
    public Result runIn(Path dir, String... args) {
        return runWithEnv(java.util.Map.of(), null, dir, args);
    }

    /** Runs kpod with extra environment variables (e.g. CONTAINERS_CONF). */
    public Result runWithEnv(java.util.Map<String, String> env, String stdin, String... args) {
        return runWithEnv(env, stdin, null, args);
    }

    private Result runWithEnv(java.util.Map<String, String> env, String stdin, Path dir, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(bin.toString());
        argv.addAll(globalArgs());
        argv.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(env);
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            }
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (stdin != null) {
                try (var os = p.getOutputStream()) {
                    os.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kpod " + String.join(" ", args) + " did not finish in 180s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    public Result ok(String... args) {
        return run(args).ok();
    }

    /**
     * Runs one kpod command inside this JVM, as bin/kpod's JVM would (same picocli wiring, same
     * engine), without a JVM start: for loops of hundreds of commands whose file descriptors,
     * threads and mounts the test can then count in its own process. Conmon still calls bin/kpod
     * back (KPOD_SELF, set by the e2e pom). Not for concurrent use: kpod's file locks are per
     * process, and one JVM holding the same lock twice is refused.
     */
    public synchronized Result inProcess(String... args) {
        List<String> argv = new ArrayList<>(globalArgs());
        argv.addAll(List.of(args));
        String[] a = argv.toArray(String[]::new);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        io.kpod.cli.Main main = new io.kpod.cli.Main();
        int code;
        try {
            picocli.CommandLine cl = io.kpod.cli.Main.commandLine(main, a);
            cl.setOut(new java.io.PrintWriter(out, true));
            cl.setErr(new java.io.PrintWriter(err, true));
            code = cl.execute(a);
        } finally {
            main.kpod().close();
        }
        return new Result(code, out.toString(), err.toString());
    }

    public JsonNode json(String... args) {
        try {
            return JSON.readTree(ok(args).out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A thread per stream: the common pool has one worker on a 2-core host and would serialize them. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                f.complete(b.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        }, "kpod-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Imports the busybox test image (built once per JVM from Debian's busybox-static). */
    public KpodHarness withBusybox() {
        ok("import", testRootfs().toString(), IMAGE, "--change", "CMD [\"sh\"]");
        return this;
    }

    static synchronized Path testRootfs() {
        if (rootfsTar == null) {
            try {
                Path dir = Files.createTempDirectory(Path.of("/var/tmp"), "ke2e-img");
                Path tar = dir.resolve("busybox-rootfs.tar");
                Path home = Path.of(System.getProperty("kpod.home", "..")).toAbsolutePath().normalize();
                ProcessBuilder pb = new ProcessBuilder("java", "-cp",
                        home.resolve("cli/target/kpod/lib").toString() + "/*",
                        "io.kpod.engine.image.TestImages", tar.toString());
                pb.inheritIO();
                int rc = pb.start().waitFor();
                assertThat(rc).as("building the busybox test image").isZero();
                rootfsTar = tar;
                dir.toFile().deleteOnExit();
                tar.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return rootfsTar;
    }

    /** The body of an HTTP 200 answer from {@code url}, or "" when nothing (or something else) answers. */
    public static String fetch(String url) {
        try {
            java.net.http.HttpClient c = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(2)).build();
            java.net.http.HttpResponse<String> r = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Polls {@code check} for up to {@code seconds}; true once it held. */
    public static boolean eventually(int seconds, java.util.function.BooleanSupplier check) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (check.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return check.getAsBoolean();
    }

    /** Mount points under this harness's dirs. */
    public List<String> mounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" ")[4]).filter(m -> m.startsWith(base.toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live (non-zombie) conmon processes working for this harness's run root. */
    public List<Long> conmons() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (cmd.startsWith("/usr/bin/conmon") && cmd.contains(runRoot().toString()) && state != 'Z') {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /** Containers runc still knows in our state root. */
    public String runcList() {
        Path runcRoot = runRoot().resolve("runc");
        if (!Files.isDirectory(runcRoot)) {
            return "";
        }
        try (Stream<Path> s = Files.list(runcRoot)) {
            return String.join(" ", s.map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything the tests made must be gone once every container is removed. */
    public void assertNoLeaks() {
        assertThat(eventually(15, () -> conmons().isEmpty())).as("conmon processes left: %s", conmons()).isTrue();
        assertThat(mounts()).as("mounts left").isEmpty();
        assertThat(runcList()).as("runc containers left").isEmpty();
        assertThat(inProcess("ps", "-aq").ok().trimmed()).as("containers left").isEmpty();
    }

    @Override
    public void close() {
        try {
            inProcess("pod", "rm", "-a", "-f", "-t", "0");
            inProcess("rm", "-a", "-f", "-t", "0");
            assertNoLeaks();
        } finally {
            for (String m : mounts()) {
                try {
                    new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
                } catch (IOException | InterruptedException ignored) {
                    // best effort: the leak was already reported
                }
            }
            try (Stream<Path> walk = Files.walk(base)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a leak was already reported above
            }
        }
    }
}
