package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden unit files in src/test/resources/cases, all generated together (so they can refer to
 * each other), each checked against its {@code ## assert-...} lines, in the style of Podman's
 * quadlet tests: assert-kpod-args (and -pre, -stop, -stop-post, -reload) give the exact words
 * after the binary; assert-key-is, assert-key-missing, assert-symlink, assert-service-file,
 * assert-failed and assert-stderr-contains check the rest.
 */
class GoldenCasesTest {
    static final Path CASES = Path.of("src/test/resources/cases").toAbsolutePath();
    private static Generator.Result result;

    @BeforeAll
    static void generateAll() {
        List<Path> dirs = new SearchPaths().unitDirs(false, Map.of("QUADLET_UNIT_DIRS", CASES.toString()), 0);
        UnitLoader.Loaded loaded = UnitLoader.load(dirs);
        assertThat(loaded.errors()).isEmpty();
        result = new Generator(Units.KPOD, false, "test").generate(loaded.units());
    }

    static Stream<Path> cases() throws IOException {
        try (Stream<Path> files = Files.list(CASES)) {
            return files.filter(f -> UnitType.of(f.getFileName().toString()).isPresent()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void caseMatchesItsAssertions(Path unitPath) throws IOException {
        String name = unitPath.getFileName().toString();
        List<List<String>> asserts = Files.readAllLines(unitPath).stream().filter(l -> l.startsWith("## "))
                .map(l -> SystemdWords.split(l.substring(3).replace("@CASES@", CASES.toString()), SystemdWords.Mode.ARGS))
                .toList();
        assertThat(asserts).as("a case needs assertions").isNotEmpty();
        boolean failed = asserts.stream().anyMatch(a -> a.get(0).equals("assert-failed"));
        List<String> errors = result.errors().stream().filter(e -> e.startsWith("converting \"" + name + "\"")).toList();
        if (failed) {
            assertThat(errors).as("errors of " + name).hasSize(1);
            asserts.stream().filter(a -> a.get(0).equals("assert-stderr-contains"))
                    .forEach(a -> assertThat(errors.get(0)).contains(a.get(1)));
            return;
        }
        assertThat(errors).as("errors of " + name).isEmpty();
        UnitFile unit = UnitFile.read(unitPath);
        String serviceFile = UnitNames.serviceName(unit, UnitType.of(name).orElseThrow()) + ".service";
        Generator.GeneratedService generated = result.services().stream()
                .filter(s -> s.fileName().equals(serviceFile)).findFirst().orElseThrow();
        UnitFile service = UnitFile.parse(serviceFile, null, generated.text());
        for (List<String> a : asserts) {
            check(a, service, generated);
        }
    }

    private static void check(List<String> a, UnitFile service, Generator.GeneratedService generated)
            throws IOException {
        List<String> args = a.subList(1, a.size());
        switch (a.get(0)) {
            case "assert-kpod-args" -> assertThat(words(service, "ExecStart")).isEqualTo(args);
            case "assert-kpod-pre-args" -> assertThat(words(service, "ExecStartPre")).isEqualTo(args);
            case "assert-kpod-stop-args" -> assertThat(words(service, "ExecStop")).isEqualTo(args);
            case "assert-kpod-stop-post-args" -> assertThat(words(service, "ExecStopPost")).isEqualTo(args);
            case "assert-kpod-reload-args" -> assertThat(words(service, "ExecReload")).isEqualTo(args);
            case "assert-key-is" -> assertThat(service.lookupAll(args.get(0), args.get(1)))
                    .as(args.get(0) + "." + args.get(1)).isEqualTo(args.subList(2, args.size()));
            case "assert-key-missing" -> assertThat(service.hasKey(args.get(0), args.get(1)))
                    .as(args.get(0) + "." + args.get(1)).isFalse();
            case "assert-symlink" -> assertThat(generated.links()).contains(new InstallLinks.Link(args.get(0), args.get(1)));
            case "assert-service-file" -> assertThat(generated.text()).isEqualTo(
                    Files.readString(CASES.resolve("expected").resolve(args.get(0))).replace("@CASES@", CASES.toString()));
            default -> throw new AssertionError("unknown assertion " + a.get(0));
        }
    }

    private static List<String> words(UnitFile service, String key) {
        List<String> lines = service.lookupAll("Service", key);
        assertThat(lines).as(key).hasSize(1);
        List<String> words = SystemdWords.split(lines.get(0), SystemdWords.Mode.ARGS);
        assertThat(words.get(0)).isIn(Units.KPOD, "-" + Units.KPOD);
        return words.subList(1, words.size());
    }

    @Test
    void everyFailingCaseIsExpectedToFail() throws IOException {
        for (String error : result.errors()) {
            String name = error.substring("converting \"".length(), error.indexOf('"', "converting \"".length()));
            assertThat(Files.readString(CASES.resolve(name))).as(error).contains("## assert-failed");
        }
    }
}
