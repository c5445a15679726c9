package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage unit files among good ones, through the generator's entry point: each bad file gets
 * one error that names it, the good units of the same directory are still generated, and the
 * generator exits 1 without hanging or throwing.
 */
class HostileUnitsTest {
    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int generate(Path units, Path output) {
        Map<String, String> env = Map.of("QUADLET_UNIT_DIRS", units.toString(), "PODMAN", "/usr/bin/kpod");
        return assertTimeoutPreemptively(Duration.ofSeconds(10), () -> GeneratorMain.run(
                new String[] {"-no-kmsg-log", output.toString()}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new SearchPaths()));
    }

    private List<String> errorLines() {
        return err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.contains("Warning: ")).toList();
    }

    private static final String GOOD = "[Container]\nImage=localhost/good\n";

    @Test
    void everyBadFileIsReportedByNameAndTheGoodOnesAreGenerated() throws IOException {
        Path units = Files.createDirectory(tmp.resolve("units"));
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("unknown-key.container", (GOOD + "Frobnicate=1\n").getBytes(StandardCharsets.UTF_8));
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        bad.put("binary.container", junk);
        bad.put("nul.container", (GOOD + "Exec=a\0b\n\0\0\0\n").getBytes(StandardCharsets.UTF_8));
        bad.put("no-image.container", "[Container]\nExec=/bin/true\n".getBytes(StandardCharsets.UTF_8));
        bad.put("empty.container", new byte[0]);
        bad.put("bad-escape.container", (GOOD + "Exec=echo \\q\n").getBytes(StandardCharsets.UTF_8));
        bad.put("notify-maybe.container", (GOOD + "Notify=maybe\n").getBytes(StandardCharsets.UTF_8));
        bad.put("expose-abc.container", (GOOD + "ExposeHostPort=abc\n").getBytes(StandardCharsets.UTF_8));
        bad.put("no-equals.container", (GOOD + "Image localhost/x\n").getBytes(StandardCharsets.UTF_8));
        bad.put("long-junk-line.container", (GOOD + "junk ".repeat(200_000) + "\n").getBytes(StandardCharsets.UTF_8));
        bad.put("before-section.container", ("Image=localhost/x\n" + GOOD).getBytes(StandardCharsets.UTF_8));
        bad.put("bad-section.container", (GOOD + "[Cont[ainer]\n").getBytes(StandardCharsets.UTF_8));
        bad.put("unterminated-continuation.container", (GOOD + "Frobnicate=a \\\n  b \\\n").getBytes(StandardCharsets.UTF_8));
        bad.put("bad-type.container", (GOOD + "[Service]\nType=forking\n").getBytes(StandardCharsets.UTF_8));
        bad.put("garbage.volume", "[Volume]\nDriver=image\nCopy=perhaps\n".getBytes(StandardCharsets.UTF_8));
        bad.put("garbage.network", "[Network]\nGateway=10.0.0.1\nSubnet=\n".getBytes(StandardCharsets.UTF_8));
        bad.put("garbage.kube", "[Kube]\nConfigMap=x.yaml\n".getBytes(StandardCharsets.UTF_8));
        bad.put("garbage.pod", "[Pod]\nImage=localhost/x\n".getBytes(StandardCharsets.UTF_8));
        bad.put("garbage.image", "[Image]\nAllTags=sometimes\nImage=localhost/x\n".getBytes(StandardCharsets.UTF_8));
        for (var e : bad.entrySet()) {
            Files.write(units.resolve(e.getKey()), e.getValue());
        }
        Files.createSymbolicLink(units.resolve("dangling.container"), tmp.resolve("nowhere"));
        Files.writeString(units.resolve("good.container"), GOOD);
        Files.writeString(units.resolve("zz-good.volume"), "[Volume]\n");
        Files.writeString(units.resolve("continued.container"), GOOD + "Exec=echo \\\n  hello\n");
        Path output = tmp.resolve("out");

        assertThat(generate(units, output)).isEqualTo(1);

        List<String> errors = errorLines();
        List<String> names = new ArrayList<>(bad.keySet());
        names.add("dangling.container");
        for (String name : names) {
            assertThat(errors).as("one error for %s in\n%s", name, String.join("\n", errors))
                    .filteredOn(l -> l.contains("/" + name + "\"") || l.contains("\"" + name + "\"")).hasSize(1);
        }
        assertThat(errors).as("nothing but one line per bad file").hasSize(names.size())
                .allSatisfy(l -> assertThat(l).startsWith("quadlet-generator["));
        assertThat(new TreeSet<>(fileNames(output))).containsExactly("continued.service", "good.service",
                "zz-good-volume.service");
    }

    @Test
    void messagesSayWhatIsWrongInALineThatCanBeLogged() throws IOException {
        Path units = Files.createDirectory(tmp.resolve("units"));
        Files.write(units.resolve("latin1.container"), (GOOD + "Label=caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));
        Files.createSymbolicLink(units.resolve("dangling.container"), tmp.resolve("nowhere"));
        Files.writeString(units.resolve("nul.container"), GOOD + "\0\u0001\u001b[2J\n");
        Files.writeString(units.resolve("long.container"), GOOD + "x".repeat(100_000) + "\n");
        Files.writeString(units.resolve("good.container"), GOOD);

        assertThat(generate(units, tmp.resolve("out"))).isEqualTo(1);

        String pid = "quadlet-generator[" + ProcessHandle.current().pid() + "]: ";
        assertThat(errorLines()).containsExactly(
                pid + "error loading \"" + units.resolve("dangling.container") + "\": no such file (a dangling symlink?)",
                pid + "error loading \"" + units.resolve("latin1.container") + "\": " + units.resolve("latin1.container")
                        + ":3: not valid UTF-8 (byte 0xE9 at offset 42)",
                pid + "error loading \"" + units.resolve("long.container") + "\": " + units.resolve("long.container")
                        + ":3: line \"" + "x".repeat(80) + "…\" is not a key-value pair, section, or comment",
                pid + "error loading \"" + units.resolve("nul.container") + "\": " + units.resolve("nul.container")
                        + ":3: line \"\\x00\\x01\\x1b[2J\" is not a key-value pair, section, or comment");
        assertThat(tmp.resolve("out/good.service")).exists();
    }

    /**
     * Podman 5's quadlet passes PublishPort through to the command line, where {@code run}
     * checks it, and splits Exec= in systemd's relaxed mode, where an unterminated quote
     * ends at the end of the line; kpod's generator does the same, so neither is an error here.
     */
    @Test
    void publishPortAndAnUnterminatedQuoteAreWhatPodmansQuadletMakesOfThem() throws IOException {
        Path units = Files.createDirectory(tmp.resolve("units"));
        Files.writeString(units.resolve("web.container"), GOOD + "PublishPort=abc\nExec=\"unterminated word\n");
        assertThat(generate(units, tmp.resolve("out"))).isEqualTo(0);
        String exec = UnitFile.read(tmp.resolve("out/web.service")).lookup("Service", "ExecStart").orElseThrow();
        assertThat(SystemdWords.split(exec, SystemdWords.Mode.ARGS)).containsSubsequence("--publish", "abc")
                .endsWith("localhost/good", "unterminated word");
    }

    /** 8 MiB of comments and continuation lines, and one 1 MiB value: read in time, nothing lost. */
    @Test
    void hugeFilesAreReadInTimeWithoutStoppingTheOthers() throws IOException {
        Path units = Files.createDirectory(tmp.resolve("units"));
        StringBuilder big = new StringBuilder(GOOD);
        while (big.length() < 8 << 20) {
            big.append("# a comment line that is long enough to fill the file up quickly, line after line\n");
        }
        big.append("Label=l=\\\n");
        for (int i = 0; i < 10_000; i++) {
            big.append("x\\\n");
        }
        big.append("end\n");
        Files.writeString(units.resolve("big.container"), big);
        Files.writeString(units.resolve("long.container"), GOOD + "Environment=A=" + "v".repeat(1 << 20) + "\n");
        Files.writeString(units.resolve("huge-junk.container"), GOOD + "Frobnicate=" + "j".repeat(4 << 20) + "\n");
        Files.writeString(units.resolve("good.container"), GOOD);

        assertThat(generate(units, tmp.resolve("out"))).isEqualTo(1);

        assertThat(Files.readString(tmp.resolve("out/big.service"))).contains("--label l=" + "x".repeat(10_000) + "end");
        assertThat(Files.size(tmp.resolve("out/long.service"))).isGreaterThan(1 << 20);
        assertThat(tmp.resolve("out/good.service")).exists();
        assertThat(errorLines()).singleElement().satisfies(l -> assertThat(l)
                .contains("huge-junk.container").contains("unsupported key 'Frobnicate'").hasSizeLessThan(1000));
    }

    /**
     * 2,000 units of every type with one to three supported keys set to garbage (bad booleans,
     * ports, escapes, quotes, specifiers, 5,000 characters, control characters), each beside a
     * good unit: the generator reports a QuadletException naming the unit or generates it, and
     * the good unit is always generated. (20,000 such units ran once while writing this.)
     */
    @Test
    void garbageValuesInSupportedKeysNeverEscapeAsAnotherException() {
        List<String> garbage = List.of("", "maybe", "abc", "-1", "0", "99999999999999999999", "\"", "\"unterminated",
                "'", "a\\", "\\q", "\\x", "\\u12", "%", "%z", "=", "a=b=c", ":::", "../../x", "x".repeat(5000),
                "\u0001\u0002", "\u00e9\u2028", "[", "yes no", ";", "#", "a b c", "1.5", "-", "--rm", "\"a\" \"b",
                "~", "*", "${FOO", "80:80:80:80", "abc:def", "0x10", "-1:80", "10.0.0.0/99", "::1/200");
        Map<UnitType, String> minimal = new LinkedHashMap<>();
        minimal.put(UnitType.CONTAINER, "[Container]\nImage=localhost/x\n");
        minimal.put(UnitType.POD, "[Pod]\n");
        minimal.put(UnitType.KUBE, "[Kube]\nYaml=/a.yaml\n");
        minimal.put(UnitType.VOLUME, "[Volume]\n");
        minimal.put(UnitType.NETWORK, "[Network]\n");
        minimal.put(UnitType.IMAGE, "[Image]\nImage=localhost/x\n");
        List<UnitType> types = List.copyOf(minimal.keySet());
        UnitFile good = UnitFile.parse("good.container", Path.of("/units/good.container"), GOOD);
        Random rnd = new Random(42);
        int failed = 0;
        for (int i = 0; i < 2000; i++) {
            UnitType type = types.get(rnd.nextInt(types.size()));
            List<String> keys = List.copyOf(new TreeSet<>(type.converter().supportedKeys()));
            StringBuilder text = new StringBuilder(minimal.get(type));
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                text.append(keys.get(rnd.nextInt(keys.size()))).append('=')
                        .append(garbage.get(rnd.nextInt(garbage.size()))).append('\n');
            }
            String name = "bad" + i + (rnd.nextInt(4) == 0 ? "@" : "") + type.extension();
            UnitFile unit = UnitFile.parse(name, Path.of("/units/" + name), text.toString());
            Generator.Result r = new Generator("/usr/bin/kpod", false, "test").generate(List.of(unit, good));
            String unitText = text.toString();
            assertThat(r.services()).as(unitText).anyMatch(s -> s.fileName().equals("good.service"));
            assertThat(r.errors()).as(unitText).hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(e -> assertThat(e).startsWith("converting \"" + name + "\": "));
            failed += r.errors().size();
        }
        assertThat(failed).as("both outcomes are common").isBetween(200, 1800);
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
