package io.kpod.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a seccomp profile in containers-common format ({@code archMap}, per-rule
 * {@code includes}/{@code excludes} on caps, arches and minKernel) or in plain OCI format into
 * the OCI {@code linux.seccomp} object for one container, the way Podman does. runc accepts
 * the raw containers-common file but ignores the conditions, so conversion is required.
 */
public final class SeccompProfiles {
    /** Podman's order: the /etc override first, then the packaged default. */
    public static final List<Path> SEARCH_PATHS = List.of(
            Path.of("/etc/containers/seccomp.json"), Path.of("/usr/share/containers/seccomp.json"));
    /** The {@code seccomp=} value that turns filtering off. */
    public static final String UNCONFINED = "unconfined";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> GO_TO_SCMP = Map.ofEntries(
            Map.entry("amd64", "SCMP_ARCH_X86_64"), Map.entry("386", "SCMP_ARCH_X86"),
            Map.entry("arm64", "SCMP_ARCH_AARCH64"), Map.entry("arm", "SCMP_ARCH_ARM"),
            Map.entry("mips64", "SCMP_ARCH_MIPS64"), Map.entry("mips64le", "SCMP_ARCH_MIPSEL64"),
            Map.entry("mips", "SCMP_ARCH_MIPS"), Map.entry("mipsle", "SCMP_ARCH_MIPSEL"),
            Map.entry("ppc64", "SCMP_ARCH_PPC64"), Map.entry("ppc64le", "SCMP_ARCH_PPC64LE"),
            Map.entry("s390", "SCMP_ARCH_S390"), Map.entry("s390x", "SCMP_ARCH_S390X"),
            Map.entry("riscv64", "SCMP_ARCH_RISCV64"), Map.entry("loong64", "SCMP_ARCH_LOONGARCH64"));
    /** Top-level OCI keys copied through unchanged. */
    private static final List<String> PASS_THROUGH = List.of("defaultErrnoRet", "flags", "listenerPath", "listenerMetadata");

    private SeccompProfiles() {
    }

    /** The first existing profile in Podman's search order, if any. */
    public static Optional<Path> defaultProfilePath() {
        return defaultProfilePath(SEARCH_PATHS);
    }

    public static Optional<Path> defaultProfilePath(List<Path> searchPaths) {
        return searchPaths.stream().filter(Files::isRegularFile).findFirst();
    }

    /**
     * The default profile converted for {@code caps} on this machine and {@linkplain #harden hardened};
     * empty when no profile is installed.
     */
    public static Optional<ObjectNode> defaultProfile(Collection<String> caps) {
        return defaultProfilePath().map(p -> harden(load(p, caps), caps, nativeGoArch()));
    }

    /** Namespace flags of clone(2) that need CAP_SYS_ADMIN: NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
    static final long CLONE_NAMESPACE_FLAGS = 0x7E020000L;
    private static final Set<String> ADMIN_ONLY = Set.of("unshare", "clone", "clone3", "keyctl", "add_key",
            "request_key");

    /**
     * Tightens Podman's profile, which lets any container create user namespaces and use the
     * kernel keyring, to what Kubernetes' RuntimeDefault (containerd's and Docker's profile)
     * allows: without CAP_SYS_ADMIN, unshare(2) and keyctl/add_key/request_key fail with EPERM,
     * clone(2) is allowed only without namespace flags (with them it meets the profile's default
     * action, ENOSYS in Podman's; containerd's answers EPERM), and clone3(2) fails with ENOSYS so
     * that libc falls back to clone. A container given CAP_SYS_ADMIN keeps Podman's rules. This
     * applies to the default profile (/etc/containers/seccomp.json or the packaged one); a
     * profile named with {@code seccomp=FILE} or in containers.conf is used as written.
     */
    static ObjectNode harden(ObjectNode oci, Collection<String> caps, String goArch) {
        if (caps.stream().map(SeccompProfiles::normalizeCap).anyMatch("CAP_SYS_ADMIN"::equals)) {
            return oci;
        }
        ArrayNode rules = (ArrayNode) oci.get("syscalls");
        for (int i = rules.size() - 1; i >= 0; i--) {
            ObjectNode rule = (ObjectNode) rules.get(i);
            if (!rule.path("action").asText().equals("SCMP_ACT_ALLOW")) {
                continue;
            }
            ArrayNode names = JSON.createArrayNode();
            rule.get("names").forEach(n -> {
                if (!ADMIN_ONLY.contains(n.asText())) {
                    names.add(n);
                }
            });
            if (names.isEmpty()) {
                rules.remove(i);
            } else {
                rule.set("names", names);
            }
        }
        ObjectNode eperm = rules.addObject();
        eperm.putArray("names").add("unshare").add("keyctl").add("add_key").add("request_key");
        eperm.put("action", "SCMP_ACT_ERRNO");
        eperm.put("errnoRet", 1);
        ObjectNode enosys = rules.addObject();
        enosys.putArray("names").add("clone3");
        enosys.put("action", "SCMP_ACT_ERRNO");
        enosys.put("errnoRet", 38);
        ObjectNode clone = rules.addObject();
        clone.putArray("names").add("clone");
        clone.put("action", "SCMP_ACT_ALLOW");
        ObjectNode arg = clone.putArray("args").addObject();
        // s390 passes clone's flags second
        arg.put("index", goArch.startsWith("s390") ? 1 : 0);
        arg.put("value", CLONE_NAMESPACE_FLAGS);
        arg.put("valueTwo", 0);
        arg.put("op", "SCMP_CMP_MASKED_EQ");
        return oci;
    }

    /**
     * The profile for a container.
     *
     * @param requested  the {@code --security-opt seccomp=} value: null for the default, {@code unconfined}, or a file
     * @param configured containers.conf {@code seccomp_profile} (null if unset): a file or {@code unconfined}
     * @return empty when the container runs without seccomp
     */
    public static Optional<ObjectNode> resolve(String requested, String configured, Collection<String> caps) {
        String choice = requested != null && !requested.isBlank() ? requested.trim()
                : configured != null && !configured.isBlank() ? configured.trim() : null;
        if (choice == null) {
            return defaultProfile(caps);
        }
        if (choice.equals(UNCONFINED)) {
            return Optional.empty();
        }
        return Optional.of(load(Path.of(choice), caps));
    }

    /** Reads and converts a profile file for {@code caps} on this machine. */
    public static ObjectNode load(Path file, Collection<String> caps) {
        JsonNode profile;
        try {
            profile = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw KpodException.invalid("seccomp profile " + file + " does not exist");
        } catch (JsonProcessingException e) {
            throw KpodException.invalid("seccomp profile " + file + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw KpodException.internal("cannot read seccomp profile " + file + ": " + e.getMessage(), e);
        }
        try {
            return convert(profile, caps, nativeGoArch(), System.getProperty("os.version"));
        } catch (KpodException e) {
            throw KpodException.invalid("seccomp profile " + file + ": " + e.getMessage());
        }
    }

    /**
     * Converts a parsed profile.
     *
     * @param caps          the container's capabilities (bounding set), with or without the CAP_ prefix
     * @param goArch        the machine's architecture in Go's spelling (amd64, arm64…)
     * @param kernelRelease {@code uname -r}, for {@code minKernel} conditions
     */
    public static ObjectNode convert(JsonNode profile, Collection<String> caps, String goArch, String kernelRelease) {
        if (profile == null || !profile.isObject() || !profile.path("defaultAction").isTextual()) {
            throw KpodException.invalid("a seccomp profile needs a \"defaultAction\"");
        }
        if (profile.path("architectures").size() > 0 && profile.path("archMap").size() > 0) {
            throw KpodException.invalid("a seccomp profile may give \"architectures\" or \"archMap\", not both");
        }
        Set<String> capSet = new HashSet<>();
        caps.forEach(c -> capSet.add(normalizeCap(c)));
        ObjectNode out = JSON.createObjectNode();
        out.put("defaultAction", profile.get("defaultAction").asText());
        for (String key : PASS_THROUGH) {
            if (profile.has(key)) {
                out.set(key, profile.get(key).deepCopy());
            }
        }
        ArrayNode arches = out.putArray("architectures");
        profile.path("architectures").forEach(a -> arches.add(a.asText()));
        String scmpArch = GO_TO_SCMP.get(goArch);
        for (JsonNode m : profile.path("archMap")) {
            if (m.path("architecture").asText().equals(scmpArch)) {
                arches.add(scmpArch);
                m.path("subArchitectures").forEach(a -> arches.add(a.asText()));
                break;
            }
        }
        ArrayNode rules = out.putArray("syscalls");
        for (JsonNode rule : profile.path("syscalls")) {
            if (applies(rule, capSet, goArch, kernelRelease)) {
                rules.add(emit(rule));
            }
        }
        return out;
    }

    private static boolean applies(JsonNode rule, Set<String> caps, String arch, String kernel) {
        JsonNode inc = rule.path("includes");
        JsonNode exc = rule.path("excludes");
        if (contains(exc.path("arches"), arch) || anyCap(exc.path("caps"), caps)) {
            return false;
        }
        if (exc.path("minKernel").isTextual() && !exc.path("minKernel").asText().isEmpty()
                && KernelVersion.atLeast(kernel, exc.path("minKernel").asText())) {
            return false;
        }
        if (inc.path("arches").size() > 0 && !contains(inc.path("arches"), arch)) {
            return false;
        }
        for (JsonNode c : inc.path("caps")) {
            if (!caps.contains(normalizeCap(c.asText()))) {
                return false;
            }
        }
        return !(inc.path("minKernel").isTextual() && !inc.path("minKernel").asText().isEmpty()
                && !KernelVersion.atLeast(kernel, inc.path("minKernel").asText()));
    }

    private static ObjectNode emit(JsonNode rule) {
        boolean hasNames = rule.path("names").size() > 0;
        boolean hasName = rule.path("name").isTextual() && !rule.path("name").asText().isEmpty();
        if (hasNames && hasName) {
            throw KpodException.invalid("a syscall rule may give \"name\" or \"names\", not both");
        }
        if (!hasNames && !hasName) {
            throw KpodException.invalid("a syscall rule has no \"names\"");
        }
        if (!rule.path("action").isTextual()) {
            throw KpodException.invalid("the syscall rule for " + (hasName ? rule.get("name") : rule.get("names")) + " has no \"action\"");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode names = out.putArray("names");
        if (hasName) {
            names.add(rule.get("name").asText());
        } else {
            rule.get("names").forEach(n -> names.add(n.asText()));
        }
        out.put("action", rule.get("action").asText());
        if (rule.path("args").size() > 0) {
            out.set("args", rule.get("args").deepCopy());
        }
        if (rule.has("errnoRet") && !rule.get("errnoRet").isNull()) {
            out.set("errnoRet", rule.get("errnoRet").deepCopy());
        }
        return out;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyCap(JsonNode array, Set<String> caps) {
        for (JsonNode n : array) {
            if (caps.contains(normalizeCap(n.asText()))) {
                return true;
            }
        }
        return false;
    }

    /** CHOWN, chown and CAP_CHOWN all mean CAP_CHOWN. */
    public static String normalizeCap(String cap) {
        String c = cap.trim().toUpperCase(Locale.ROOT);
        return c.startsWith("CAP_") ? c : "CAP_" + c;
    }

    /** This JVM's architecture in Go's spelling, as seccomp profiles name arches. */
    public static String nativeGoArch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        switch (a) {
            case "x86_64":
            case "amd64":
                return "amd64";
            case "aarch64":
            case "arm64":
                return "arm64";
            case "x86":
            case "i386":
            case "i686":
                return "386";
            case "loongarch64":
                return "loong64";
            default:
                return a;
        }
    }
}
