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
    void volumesFromSharesVolumesAndBindMountsInTheirModeOrAsTold() throws Exception {
        Path dir = Files.createDirectories(kpod.base().resolve("vfdir"));
        // the source: a named volume, a bind mount, an anonymous volume, and a tmpfs that is not shared
        kpod.ok("run", "--name", "src", "-v", "vfdata:/data", "-v", dir + ":/h", "-v", "/anon", "--tmpfs", "/t",
                IMAGE, "sh", "-c", "echo named > /data/f; echo bound > /h/f; echo anon > /anon/f");

        String probe = "cat /data/f /h/f /anon/f || exit 9; "
                + "for d in /data /h /anon; do touch $d/x 2>&1 && echo $d writable; done; [ -e /t ] || echo no-tmpfs";
        String ro = kpod.ok("run", "--name", "reader", "--volumes-from", "src:ro", IMAGE, "sh", "-c", probe).out();
        assertThat(ro).contains("named\nbound\nanon\n").contains("no-tmpfs").doesNotContain("writable");
        assertThat(ro.split("Read-only file system", -1)).as("all three refused (EROFS)").hasSize(4);

        // plain --volumes-from keeps the source's rw mode; an explicit -v at the same place wins
        String rw = kpod.ok("run", "--name", "writer", "--volumes-from", "src", "-v", "vfown:/anon", IMAGE, "sh", "-c",
                "echo w > /data/w && echo w > /h/w && ls /anon | wc -l").trimmed();
        assertThat(rw).as("/anon is writer's own, empty volume").isEqualTo("0");
        assertThat(dir.resolve("w")).hasContent("w");
        JsonNode both = kpod.json("inspect", "reader", "writer");
        JsonNode r = both.get(0);
        assertThat(r.at("/HostConfig/VolumesFrom").toString()).isEqualTo("[\"src:ro\"]");
        assertThat(r.get("Mounts")).extracting(m -> m.get("Destination").asText() + " " + m.get("RW").asBoolean())
                .containsExactlyInAnyOrder("/data false", "/h false", "/anon false");
        String anon = r.findValues("Name").stream().map(JsonNode::asText).filter(n -> n.matches("[0-9a-f]{64}"))
                .findFirst().orElseThrow();
        JsonNode w = both.get(1);
        assertThat(w.at("/HostConfig/VolumesFrom").toString()).isEqualTo("[\"src\"]");
        assertThat(w.get("Mounts")).extracting(m -> m.get("Destination").asText() + " " + m.path("Name").asText()
                + " " + m.get("RW").asBoolean()).containsExactlyInAnyOrder("/data vfdata true", "/h  true",
                "/anon vfown true");

        // an unknown source: one line, nothing created (the anonymous volume -v /x asks for: see the end)
        KpodHarness.Result ghost = kpod.run("create", "--name", "ghost", "--volumes-from", "nosuch", "-v", "/x", IMAGE);
        assertThat(ghost.code()).isEqualTo(125);
        assertThat(ghost.err().strip()).startsWith("Error: ").contains("\"nosuch\"").doesNotContain("\n");
        assertThat(kpod.ok("ps", "-a", "--format", "{{.Names}}").out()).doesNotContain("ghost");

        // kube play: Podman's per-container annotation; an unknown source fails before anything exists
        String manifest = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: vfpod
                  annotations: {io.podman.annotations.volumes-from/app: "%s"}
                spec:
                  containers:
                  - {name: app, image: %s, command: [sleep, "1d"]}
                """;
        Path bad = Files.writeString(kpod.base().resolve("vf-bad.yaml"), manifest.formatted("nosuch", IMAGE));
        KpodHarness.Result failed = kpod.run("kube", "play", "--network", "none", bad.toString());
        assertThat(failed.code()).isNotZero();
        assertThat(failed.err()).contains("annotations[io.podman.annotations.volumes-from/app]").contains("nosuch");
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
        Path yaml = Files.writeString(kpod.base().resolve("vf.yaml"), manifest.formatted("src:ro", IMAGE));
        kpod.ok("kube", "play", "--network", "none", yaml.toString());
        assertThat(kpod.ok("exec", "vfpod-app", "sh", "-c", "cat /data/f /h/f /data/w; touch /data/y 2>&1; true").out())
                .isEqualTo("named\nbound\nw\ntouch: /data/y: Read-only file system\n");
        kpod.ok("kube", "down", yaml.toString());

        // the copies are the readers' own: the source goes (rm -v), its anonymous volume stays while used
        kpod.ok("rm", "-v", "src");
        kpod.ok("start", "reader");
        assertThat(kpod.ok("wait", "reader").trimmed()).as("its mounts are still there").isEqualTo("0");
        kpod.ok("rm", "-v", "reader", "writer");
        kpod.ok("volume", "rm", "vfdata", "vfown", anon);
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).as("nothing else, not ghost's /x").isEmpty();
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
