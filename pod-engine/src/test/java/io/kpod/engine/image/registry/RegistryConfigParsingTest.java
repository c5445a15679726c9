package io.kpod.engine.image.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Json;
import io.kpod.engine.image.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** registries.conf, WWW-Authenticate, auth.json, short names and platform matching. */
class RegistryConfigParsingTest {
    @TempDir
    Path tmp;

    private static final String CONF = """
            unqualified-search-registries = ["quay.io"]
            short-name-mode = "enforcing"

            [[registry]]
            location = "example.com"
            insecure = true

            [[registry]]
            prefix = "example.com/blocked"
            location = "example.com/blocked"
            blocked = true

            [[registry]]
            prefix = "docker.io/library"
            location = "internal.example:5000/hub"
            [[registry.mirror]]
            location = "mirror.example:5000/hub-mirror"
            insecure = true

            [[registry]]
            prefix = "*.corp.example"
            insecure = true

            [aliases]
            "app" = "registry.example/team/app"
            """;

    @Test
    void registriesConfV2() {
        RegistriesConf c = RegistriesConf.parse(CONF, "test.conf");
        assertThat(c.searchRegistries()).containsExactly("quay.io");
        assertThat(c.shortNameMode()).isEqualTo("enforcing");
        assertThat(c.registries()).hasSize(4);
        assertThat(c.pullEndpoints("example.com/team/app")).containsExactly(
                new RegistriesConf.Endpoint("example.com", "team/app", true));
        assertThat(c.pullEndpoints("docker.io/library/busybox")).containsExactly(
                new RegistriesConf.Endpoint("mirror.example:5000", "hub-mirror/busybox", true),
                new RegistriesConf.Endpoint("internal.example:5000", "hub/busybox", false));
        assertThat(c.pushEndpoint("docker.io/library/busybox"))
                .isEqualTo(new RegistriesConf.Endpoint("internal.example:5000", "hub/busybox", false));
        assertThat(c.pullEndpoints("other.example/x")).containsExactly(new RegistriesConf.Endpoint("other.example", "x", false));
        assertThat(c.insecure("build.corp.example")).isTrue();
        assertThat(c.insecure("corp.example.org")).isFalse();
        assertThatThrownBy(() -> c.pullEndpoints("example.com/blocked/app"))
                .hasMessage("registry example.com is blocked in registries.conf");
        // the longest prefix wins; a prefix matches only whole path components
        assertThat(c.pullEndpoints("example.com/blockedness")).hasSize(1);
    }

    @Test
    void registriesConfErrorsAndFiles() throws Exception {
        assertThatThrownBy(() -> RegistriesConf.parse("[registries.search]\nregistries = ['a']\n", "old.conf"))
                .hasMessageContaining("old.conf: the v1 format");
        assertThatThrownBy(() -> RegistriesConf.parse("unqualified-search-registries = [\n", "bad.conf"))
                .hasMessageStartingWith("bad.conf: invalid TOML");
        Path a = Files.writeString(tmp.resolve("a.conf"), CONF);
        Path b = Files.writeString(tmp.resolve("b.conf"), """
                unqualified-search-registries = ["a.example", "b.example"]
                [[registry]]
                location = "example.com"
                insecure = false
                """);
        RegistriesConf c = RegistriesConf.loadFiles(List.of(a, b, tmp.resolve("missing.conf")));
        assertThat(c.searchRegistries()).containsExactly("a.example", "b.example");
        assertThat(c.insecure("example.com")).isFalse();
        assertThat(c.aliases()).containsEntry("app", "registry.example/team/app");
    }

    @Test
    void shortNames() {
        RegistriesConf one = RegistriesConf.parse(CONF, "t");
        assertThat(ShortNames.candidates(ImageReference.parse("busybox:1"), one))
                .containsExactly(ImageReference.parse("quay.io/busybox:1"));
        assertThat(ShortNames.candidates(ImageReference.parse("app"), one))
                .containsExactly(ImageReference.parse("registry.example/team/app:latest"));
        assertThat(ShortNames.candidates(ImageReference.parse("app:2"), one))
                .containsExactly(ImageReference.parse("registry.example/team/app:2"));
        assertThat(ShortNames.candidates(ImageReference.parse("example.com/x"), RegistriesConf.EMPTY))
                .containsExactly(ImageReference.parse("example.com/x:latest"));
        assertThatThrownBy(() -> ShortNames.candidates(ImageReference.parse("x"), RegistriesConf.EMPTY))
                .hasMessageContaining("no unqualified-search registries are defined");
        RegistriesConf two = RegistriesConf.parse("unqualified-search-registries = [\"a.example\", \"docker.io\"]", "t");
        assertThatThrownBy(() -> ShortNames.candidates(ImageReference.parse("x"), two))
                .hasMessageContaining("is ambiguous: it could come from any of a.example, docker.io");
        RegistriesConf permissive = RegistriesConf.parse(
                "unqualified-search-registries = [\"a.example\", \"docker.io\"]\nshort-name-mode = \"permissive\"", "t");
        assertThat(ShortNames.candidates(ImageReference.parse("x"), permissive)).containsExactly(
                ImageReference.parse("a.example/x:latest"), ImageReference.parse("docker.io/library/x:latest"));
    }

    @Test
    void wwwAuthenticate() {
        AuthChallenge c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\"").orElseThrow();
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.params()).containsExactlyInAnyOrderEntriesOf(Map.of("realm", "https://auth.example/token",
                "service", "registry.example", "scope", "repository:a/b:pull,push"));
        AuthChallenge basic = AuthChallenge.parse("Basic realm=\"basic-realm\"").orElseThrow();
        assertThat(basic.scheme()).isEqualTo("basic");
        assertThat(basic.param("realm")).isEqualTo("basic-realm");
        assertThat(AuthChallenge.parse("Bearer realm=plain, service = \"s\\\"q\"").orElseThrow().params())
                .containsEntry("realm", "plain").containsEntry("service", "s\"q");
        assertThat(AuthChallenge.parse("")).isEmpty();
    }

    @Test
    void authFile() throws Exception {
        Path file = tmp.resolve("auth.json");
        Path docker = tmp.resolve("docker");
        Files.createDirectories(docker);
        Files.writeString(docker.resolve("config.json"), """
                {"auths":{"https://index.docker.io/v1/":{"auth":"aHViOmh1YnB3"}}}
                """);
        AuthFile af = new AuthFile(Map.of("XDG_RUNTIME_DIR", tmp.toString(), "HOME", tmp.toString(),
                "DOCKER_CONFIG", docker.toString()));
        assertThat(af.defaultPath()).isEqualTo(tmp.resolve("containers/auth.json"));
        af.store(file, "reg.example:5000", new Credentials("u", "p:w"));
        af.store(file, "reg.example:5000/team", new Credentials("t", "tp"));
        JsonNode json = Json.MAPPER.readTree(file.toFile());
        assertThat(json.path("auths").path("reg.example:5000").path("auth").asText()).isEqualTo("dTpwOnc=");
        assertThat(af.lookup("reg.example:5000", "other/x", Optional.of(file))).contains(new Credentials("u", "p:w"));
        assertThat(af.lookup("reg.example:5000", "team/x", Optional.of(file))).contains(new Credentials("t", "tp"));
        assertThat(af.lookup("nope.example", "x", Optional.of(file))).isEmpty();
        // without --authfile: the default file, then Docker's config.json
        assertThat(af.lookup("docker.io", "library/busybox", Optional.empty())).contains(new Credentials("hub", "hubpw"));
        assertThat(af.remove(file, "reg.example:5000")).isTrue();
        assertThat(af.remove(file, "reg.example:5000")).isFalse();
        af.removeAll(file);
        assertThat(af.lookup("reg.example:5000", "team/x", Optional.of(file))).isEmpty();
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
        assertThat(new AuthFile(Map.of("REGISTRY_AUTH_FILE", "/x/a.json")).defaultPath()).isEqualTo(Path.of("/x/a.json"));
        assertThat(RegistryService.registryKey("https://index.docker.io/v1/")).isEqualTo("docker.io/v1");
        assertThat(RegistryService.registryKey("docker://reg:5000/ns/")).isEqualTo("reg:5000/ns");
    }

    @Test
    void platforms() {
        Platform amd64 = new Platform("linux", "amd64", "");
        assertThat(amd64.score(json("{\"os\":\"linux\",\"architecture\":\"amd64\"}"))).isEqualTo(2);
        assertThat(amd64.score(json("{\"os\":\"linux\",\"architecture\":\"arm64\"}"))).isEqualTo(-1);
        assertThat(amd64.score(json("{\"os\":\"windows\",\"architecture\":\"amd64\"}"))).isEqualTo(-1);
        Platform arm64 = Platform.choose(Optional.of("linux/arm64"), Optional.empty(), Optional.empty(), Optional.empty());
        assertThat(arm64.score(json("{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}"))).isEqualTo(2);
        assertThat(arm64.score(json("{\"os\":\"linux\",\"architecture\":\"arm64\"}"))).isEqualTo(2);
        Platform armv7 = Platform.choose(Optional.empty(), Optional.empty(), Optional.of("arm"), Optional.of("v7"));
        assertThat(armv7.score(json("{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}"))).isEqualTo(2);
        assertThat(armv7.score(json("{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v6\"}"))).isZero();
        assertThat(Platform.choose(Optional.empty(), Optional.empty(), Optional.of("aarch64"), Optional.empty()).arch())
                .isEqualTo("arm64");
        assertThat(Platform.host().os()).isEqualTo("linux");
        assertThatThrownBy(() -> Platform.choose(Optional.of("linux"), Optional.empty(), Optional.empty(), Optional.empty()))
                .hasMessageContaining("expected OS/ARCH[/VARIANT]");
    }

    private static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
