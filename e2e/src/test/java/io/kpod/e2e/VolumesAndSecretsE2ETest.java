package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Named, anonymous, host-path and tmpfs volumes, and secrets as files and env. */
class VolumesAndSecretsE2ETest extends E2EBase {

    @Test
    void namedVolumeSurvivesContainerRemoval() {
        kpod.ok("run", "--rm", "-v", "data:/data", IMAGE, "sh", "-c", "echo kept > /data/f");
        assertThat(kpod.ok("volume", "ls", "--format", "{{.Name}}").trimmed()).isEqualTo("data");
        assertThat(kpod.ok("run", "--rm", "-v", "data:/data:ro", IMAGE, "cat", "/data/f").trimmed()).isEqualTo("kept");
        KpodHarness.Result ro = kpod.run("run", "--rm", "-v", "data:/data:ro", IMAGE, "touch", "/data/g");
        assertThat(ro.code()).isNotZero();
        JsonNode v = kpod.json("volume", "inspect", "data").get(0);
        assertThat(Path.of(v.get("Mountpoint").asText()).resolve("f")).hasContent("kept");
        kpod.ok("run", "-d", "--name", "user", "-v", "data:/data", IMAGE, "sleep", "300");
        KpodHarness.Result inUse = kpod.run("volume", "rm", "data");
        assertThat(inUse.code()).isEqualTo(2);
        assertThat(inUse.err()).contains("being used");
        kpod.ok("volume", "rm", "-f", "data");
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEmpty();
        assertThat(kpod.run("container", "exists", "user").code()).isEqualTo(1);
    }

    @Test
    void hostPathAndMountSyntax() throws Exception {
        Path dir = Files.createDirectories(kpod.base().resolve("hostdir"));
        Files.writeString(dir.resolve("in.txt"), "from host");
        kpod.ok("run", "--rm", "-v", dir + ":/h", IMAGE, "sh", "-c", "cat /h/in.txt; echo back > /h/out.txt");
        assertThat(dir.resolve("out.txt")).hasContent("back");
        assertThat(kpod.ok("run", "--rm", "--mount", "type=bind,source=" + dir + ",target=/m,readonly", IMAGE,
                "cat", "/m/in.txt").trimmed()).isEqualTo("from host");
        assertThat(kpod.run("run", "--rm", "--mount", "type=bind,src=" + dir + ",dst=/m,ro", IMAGE,
                "touch", "/m/x").code()).isNotZero();
        assertThat(kpod.ok("run", "--rm", "--tmpfs", "/t:size=1m", IMAGE, "sh", "-c", "df -k /t | tail -1").out())
                .contains("tmpfs").contains("1024");
    }

    @Test
    void imageVolumesGetAnonymousVolumesRemovedWithRmV() {
        kpod.ok("import", KpodHarness.testRootfs().toString(), "withvol", "--change", "VOLUME /data",
                "--change", "CMD [\"sh\"]");
        kpod.ok("run", "--name", "v1", "withvol", "sh", "-c", "echo persisted > /data/f");
        String vol = kpod.ok("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", "v1").trimmed();
        assertThat(vol).matches("[0-9a-f]{64}");
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEqualTo(vol);
        kpod.ok("start", "v1");
        kpod.ok("wait", "v1");
        kpod.ok("rm", "-v", "v1");
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).as("anonymous volume removed with rm -v").isEmpty();
        kpod.ok("rmi", "withvol");
    }

    @Test
    void tmpfsVolumeDriverOption() {
        kpod.ok("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=2m", "mem");
        assertThat(kpod.ok("run", "--rm", "-v", "mem:/mem", IMAGE, "sh", "-c", "df -k /mem | tail -1").out())
                .contains("2048");
        kpod.ok("volume", "rm", "mem");
        assertThat(kpod.mounts()).isEmpty();
    }

    @Test
    void secretsAsFileAndEnv() {
        kpod.runWithInput("s3cret-value", "secret", "create", "dbpass", "-").ok();
        assertThat(kpod.ok("secret", "ls", "--format", "{{.Name}}").trimmed()).isEqualTo("dbpass");
        assertThat(kpod.ok("run", "--rm", "--secret", "dbpass", IMAGE, "cat", "/run/secrets/dbpass").out())
                .isEqualTo("s3cret-value");
        assertThat(kpod.ok("run", "--rm", "--secret", "dbpass,type=mount,target=/etc/pw,mode=0400", IMAGE,
                "stat", "-c", "%a", "/etc/pw").trimmed()).isEqualTo("400");
        assertThat(kpod.ok("run", "--rm", "--secret", "dbpass,type=env,target=DB_PASS", IMAGE, "sh", "-c",
                "echo $DB_PASS").trimmed()).isEqualTo("s3cret-value");
        assertThat(kpod.ok("secret", "inspect", "dbpass").out()).doesNotContain("s3cret-value");
        KpodHarness.Result missing = kpod.run("run", "--rm", "--secret", "nope", IMAGE, "true");
        assertThat(missing.code()).isEqualTo(125);
        assertThat(missing.err()).contains("nope");
        kpod.ok("secret", "rm", "dbpass");
        assertThat(kpod.ok("secret", "ls", "-q").trimmed()).isEmpty();
    }
}
