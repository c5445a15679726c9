package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Filesystem sources other than the container's own image: image mounts
 * ({@code --mount type=image}), Kubernetes image volumes in {@code kube play}, and
 * {@code --rootfs} directories.
 */
class FilesystemSourcesE2ETest extends E2EBase {
    /** A second image: the busybox image plus /marker, committed once for the class. */
    private static final String MARKED = "localhost/marked:1";
    private String markedId;

    private String marked() {
        if (markedId == null) {
            kpod.ok("run", "--name", "maker", "--network", "none", IMAGE, "sh", "-c", "echo from-image > /marker");
            kpod.ok("commit", "-q", "maker", MARKED);
            kpod.ok("rm", "maker");
            markedId = kpod.ok("image", "inspect", "--format", "{{.Id}}", MARKED).trimmed();
        }
        return markedId;
    }

    private static void kill9(String pid) throws Exception {
        new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
    }

    @Test
    void imageMountIsReadOnlyShownByInspectAndKeepsItsImage() {
        String id = marked();
        KpodHarness.Result r = kpod.ok("run", "--rm", "--network", "none", "--mount",
                "type=image,source=" + MARKED + ",destination=/img", IMAGE, "sh", "-c",
                "cat /img/marker; touch /img/x 2>&1; echo rc=$?");
        assertThat(r.out()).contains("from-image").contains("Read-only file system").contains("rc=1");

        kpod.ok("create", "--name", "holder", "--network", "none", "--mount",
                "type=image,src=" + MARKED + ",dst=/img", IMAGE, "true");
        JsonNode m = kpod.json("inspect", "holder").get(0).get("Mounts").get(0);
        assertThat(m.get("Type").asText()).isEqualTo("image");
        assertThat(m.get("Source").asText()).isEqualTo(id);
        assertThat(m.get("Destination").asText()).isEqualTo("/img");
        assertThat(m.get("RW").asBoolean()).isFalse();

        KpodHarness.Result refused = kpod.run("rmi", MARKED);
        assertThat(refused.code()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("image used by holder");
        kpod.ok("rm", "holder");

        KpodHarness.Result missing = kpod.run("run", "--rm", "--pull", "never", "--mount",
                "type=image,source=localhost/nosuch:1,destination=/img", IMAGE, "true");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("nosuch");
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
    }

    @Test
    void writableImageMountKeepsItsChangesToItself() {
        marked();
        assertThat(kpod.ok("run", "--name", "writer", "--network", "none", "--mount",
                "type=image,source=" + MARKED + ",destination=/img,rw=true", IMAGE, "sh", "-c",
                "echo changed > /img/marker && cat /img/marker").trimmed()).isEqualTo("changed");
        assertThat(KpodHarness.eventually(10, () -> kpod.mounts().isEmpty()))
                .as("image mount unmounted once the container exited: %s", kpod.mounts()).isTrue();
        assertThat(kpod.ok("run", "--rm", "--network", "none", "--mount",
                "type=image,source=" + MARKED + ",destination=/img", IMAGE, "cat", "/img/marker").trimmed())
                .isEqualTo("from-image");
        assertThat(kpod.ok("run", "--rm", "--network", "none", MARKED, "cat", "/marker").trimmed())
                .isEqualTo("from-image");
        assertThat(kpod.ok("system", "check").out()).isEqualTo("No problems found\n");
    }

    @Test
    void imageMountLeftByAKilledContainerIsFoundAndRepaired() throws Exception {
        marked();
        kpod.ok("run", "-d", "--name", "victim", "--network", "none", "--mount",
                "type=image,source=" + MARKED + ",destination=/img", IMAGE, "sleep", "1d");
        assertThat(kpod.mounts()).anyMatch(p -> p.contains("/image-mounts/"));
        kill9(kpod.ok("inspect", "--format", "{{.State.ConmonPid}}", "victim").trimmed());
        kill9(kpod.ok("inspect", "--format", "{{.State.Pid}}", "victim").trimmed());
        assertThat(KpodHarness.eventually(10, () -> kpod.ok("inspect", "--format", "{{.State.Status}}", "victim")
                .trimmed().equals("exited"))).isTrue();
        KpodHarness.Result found = kpod.run("system", "check");
        assertThat(found.code()).isEqualTo(1);
        assertThat(found.out()).contains("mount victim: image mount");
        kpod.ok("system", "check", "--repair");
        assertThat(kpod.mounts()).isEmpty();
        // and it starts again with its image mount
        kpod.ok("start", "victim");
        assertThat(kpod.ok("exec", "victim", "cat", "/img/marker").trimmed()).isEqualTo("from-image");
        kpod.ok("rm", "-f", "-t", "0", "victim");
    }

    @Test
    void kubeImageVolumeIsReadOnlyAndAMissingNeverImageFailsBeforeAnything() throws Exception {
        marked();
        Path yaml = Files.writeString(kpod.base().resolve("imgvol.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: imgvol}
                spec:
                  containers:
                  - name: app
                    image: %s
                    command: [sleep, "1d"]
                    volumeMounts:
                    - {name: data, mountPath: /data}
                    - {name: data, mountPath: /bin-of-data, subPath: bin}
                  volumes:
                  - name: data
                    image: {reference: "%s", pullPolicy: IfNotPresent}
                """.formatted(IMAGE, MARKED));
        kpod.ok("kube", "play", "--network", "none", yaml.toString());
        assertThat(kpod.ok("exec", "imgvol-app", "cat", "/data/marker").trimmed()).isEqualTo("from-image");
        assertThat(kpod.ok("exec", "imgvol-app", "sh", "-c", "ls /bin-of-data/busybox; touch /data/x 2>&1; echo rc=$?")
                .out()).contains("/bin-of-data/busybox").contains("Read-only file system").contains("rc=1");
        assertThat(kpod.ok("kube", "generate", "imgvol").out()).contains("reference: " + MARKED);
        kpod.ok("kube", "down", yaml.toString());
        assertThat(kpod.mounts()).isEmpty();

        Path missing = Files.writeString(kpod.base().resolve("missing.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: nopull}
                spec:
                  containers:
                  - {name: app, image: %s, command: [sleep, "1d"], volumeMounts: [{name: d, mountPath: /d}]}
                  volumes:
                  - {name: d, image: {reference: "localhost/nosuch:1", pullPolicy: Never}}
                """.formatted(IMAGE));
        KpodHarness.Result failed = kpod.run("kube", "play", "--network", "none", missing.toString());
        assertThat(failed.code()).isNotZero();
        assertThat(failed.err()).contains("localhost/nosuch:1");
        assertThat(kpod.ok("pod", "ps", "-q").trimmed()).isEmpty();
        assertThat(kpod.ok("ps", "-aq").trimmed()).isEmpty();
        assertThat(kpod.ok("volume", "ls", "-q").trimmed()).isEmpty();
    }

    @Test
    void rootfsDirectoryIsWrittenDirectlyOrThroughAnOverlay() throws Exception {
        Path dir = Files.createDirectories(kpod.base().resolve("rootdir"));
        assertThat(new ProcessBuilder("tar", "-xf", KpodHarness.testRootfs().toString(), "-C", dir.toString())
                .inheritIO().start().waitFor()).isZero();
        Files.writeString(dir.resolve("proof"), "this dir\n");

        String out = kpod.ok("run", "--rm", "--network", "none", "--hostname", "rooted", "--rootfs", dir.toString(),
                "sh", "-c", "cat /proof; cat /etc/hostname; grep -c rooted /etc/hosts; test -s /etc/resolv.conf && "
                        + "echo resolv; echo direct > /written").out();
        assertThat(out).isEqualTo("this dir\nrooted\n1\nresolv\n");
        assertThat(dir.resolve("written")).hasContent("direct");

        kpod.ok("run", "--name", "ov", "--network", "none", "--rootfs", dir + ":O", "sh", "-c",
                "echo over > /over && rm /written && cat /over");
        assertThat(dir.resolve("over")).doesNotExist();
        assertThat(dir.resolve("written")).hasContent("direct");
        JsonNode ov = kpod.json("inspect", "ov").get(0);
        assertThat(ov.get("Rootfs").asText()).isEqualTo(dir.toString());
        assertThat(ov.get("ImageName").asText()).isEmpty();
        kpod.ok("rm", "ov");
        assertThat(dir.resolve("proof")).as("rm leaves the directory alone").hasContent("this dir\n");

        KpodHarness.Result missing = kpod.run("run", "--rm", "--rootfs", dir.resolve("nope").toString(), "true");
        assertThat(missing.code()).isEqualTo(125);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("no such directory");
        KpodHarness.Result file = kpod.run("create", "--rootfs", dir.resolve("proof").toString(), "true");
        assertThat(file.code()).isEqualTo(125);
        assertThat(file.err().strip()).doesNotContain("\n").contains("not a directory");
    }
}
