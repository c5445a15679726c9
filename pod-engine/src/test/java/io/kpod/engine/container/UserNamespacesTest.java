package io.kpod.engine.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.engine.Json;
import io.kpod.spec.IdMappings;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserNamespacesTest {
    @TempDir
    Path tmp;

    @Test
    void modesParseAsPodmanSpellsThem() {
        assertThat(UserNamespaces.parseMode(null)).isNull();
        assertThat(UserNamespaces.parseMode("host")).isNull();
        assertThat(UserNamespaces.parseMode("auto").autoSize()).isNull();
        assertThat(UserNamespaces.parseMode("auto:size=4096").autoSize()).isEqualTo(4096L);
        assertThat(UserNamespaces.parseMode("private").mode()).isEqualTo("auto");
        assertThatThrownBy(() -> UserNamespaces.parseMode("keep-id:uid=1")).hasMessageContaining("rootless");
        assertThatThrownBy(() -> UserNamespaces.parseMode("auto:uidmapping=0:1:1")).hasMessageContaining("size=N");
        assertThatThrownBy(() -> UserNamespaces.parseMode("ns:/proc/1/ns/user")).hasMessageContaining("not supported");
    }

    private static ObjectNode config(boolean ownNet) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"mounts": [{"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["ro"]}],
                 "linux": {"namespaces": [{"type": "pid"}, %s]}}
                """.formatted(ownNet ? "{\"type\": \"network\"}" : "{\"type\": \"network\", \"path\": \"/run/netns/x\"}"));
    }

    @Test
    void applyAddsTheNamespaceAndMapsAndBindsSysWithoutAnOwnNetns() throws Exception {
        IdMappings m = IdMappings.of(List.of("0:100000:65536"), List.of("0:200000:65536"));
        ObjectNode own = config(true);
        UserNamespaces.apply(own, m);
        assertThat(own.at("/linux/namespaces/0/type").asText()).isEqualTo("user");
        assertThat(own.at("/linux/uidMappings/0/hostID").asLong()).isEqualTo(100000);
        assertThat(own.at("/linux/gidMappings/0/hostID").asLong()).isEqualTo(200000);
        assertThat(own.at("/linux/gidMappings/0/size").asLong()).isEqualTo(65536);
        assertThat(own.at("/mounts/0/type").asText()).isEqualTo("sysfs");

        ObjectNode joined = config(false);
        UserNamespaces.apply(joined, m);
        assertThat(joined.at("/mounts/0/type").asText()).isEqualTo("bind");
        assertThat(joined.at("/mounts/0/source").asText()).isEqualTo("/sys");
    }

    @Test
    void shiftMovesOwnersIntoTheRangeAndKeepsSetIdBits() throws Exception {
        Path f = Files.createFile(tmp.resolve("suid"));
        Files.setAttribute(f, "unix:mode", 04755);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), Path.of("suid"));
        Path other = Files.createFile(tmp.resolve("other"));
        Files.setAttribute(other, "unix:uid", 1000);
        Files.setAttribute(other, "unix:gid", 70000);
        IdMappings m = IdMappings.of(List.of("0:300000:65536"), List.of());
        UserNamespaces.shift(tmp, m);
        assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(300000);
        assertThat((Integer) Files.getAttribute(f, "unix:mode") & 07777).isEqualTo(04755);
        assertThat(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(300000);
        assertThat(Files.getAttribute(other, "unix:uid")).isEqualTo(301000);
        assertThat(Files.getAttribute(other, "unix:gid")).as("unmapped: the overflow id").isEqualTo(65534);
        assertThat(Files.getAttribute(tmp, "unix:uid")).isEqualTo(300000);
    }

    @Test
    void anImageIsSizedByItsHighestOwnerAndItsPasswd() throws Exception {
        Path layer = Files.createDirectories(tmp.resolve("l/etc"));
        Files.writeString(layer.resolve("passwd"), "root:x:0:0::/root:/bin/sh\napp:x:3000:3000::/:/bin/sh\n"
                + "nobody:x:65534:65534::/:/bin/false\n");
        assertThat(UserNamespaces.sizeFor(List.of(tmp.resolve("l")))).isEqualTo(3001);
        Files.writeString(layer.resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        assertThat(UserNamespaces.sizeFor(List.of(tmp.resolve("l")))).isEqualTo(1024);
    }
}
