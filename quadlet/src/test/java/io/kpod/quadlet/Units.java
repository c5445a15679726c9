package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: generates services from unit texts held in memory and reads their commands back. */
final class Units {
    static final String KPOD = "/usr/bin/kpod";
    static final Path DIR = Path.of("/etc/containers/systemd");

    private final Map<String, String> texts = new LinkedHashMap<>();
    private boolean user;

    static Units of(String fileName, String text) {
        return new Units().with(fileName, text);
    }

    Units with(String fileName, String text) {
        texts.put(fileName, text);
        return this;
    }

    Units asUser() {
        user = true;
        return this;
    }

    Generator.Result generate() {
        List<UnitFile> units = new ArrayList<>();
        texts.forEach((name, text) -> units.add(UnitFile.parse(name, DIR.resolve(name), text)));
        return new Generator(KPOD, user, "test").generate(units);
    }

    /** The service generated from {@code fileName}, failing the test if that unit failed. */
    UnitFile service(String serviceFile) {
        Generator.Result result = generate();
        assertThat(result.errors()).as("generator errors").isEmpty();
        return parsed(result, serviceFile);
    }

    static UnitFile parsed(Generator.Result result, String serviceFile) {
        Generator.GeneratedService service = result.services().stream()
                .filter(s -> s.fileName().equals(serviceFile)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + serviceFile + " in " + result.services()));
        return UnitFile.parse(serviceFile, null, service.text());
    }

    /** The words of a command key (ExecStart, ExecStartPre, ...) without the binary, as one string. */
    static String args(UnitFile service, String key) {
        List<String> all = service.lookupAll("Service", key);
        assertThat(all).as(key).hasSize(1);
        List<String> words = SystemdWords.split(all.get(0), SystemdWords.Mode.ARGS);
        String binary = words.get(0);
        assertThat(binary.replaceFirst("^-", "")).isEqualTo(KPOD);
        return SystemdWords.join(words.subList(1, words.size()));
    }
}
