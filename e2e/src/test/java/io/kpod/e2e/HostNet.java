package io.kpod.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host side of networking tests: commands, the firewall rules and links of one test's
 * subnets only (never anyone else's), and a simulated reboot.
 */
final class HostNet {
    static final Pattern CHAIN = Pattern.compile("NETAVARK-(DN-)?[0-9A-F]{6,}");

    private HostNet() {
    }


    static String sh(String... argv) {
        return run(true, argv);
    }

    static String run(boolean withStderr, String... argv) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(withStderr);
            if (!withStderr) {
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** iptables-save lines of one table that mention a subnet (regex) or a per-network chain those lines use. */
    static List<String> rulesOf(String table, String subnet) {
        List<String> lines = sh("iptables-save", "-t", table).lines().toList();
        Set<String> chains = chainsOf(lines, subnet);
        return lines.stream().filter(l -> Pattern.compile(subnet).matcher(l).find()
                || chains.stream().anyMatch(c -> l.contains(c + " ") || l.endsWith(c))).toList();
    }

    static Set<String> chainsOf(List<String> lines, String subnet) {
        Set<String> chains = new TreeSet<>();
        for (String l : lines) {
            if (Pattern.compile(subnet).matcher(l).find()) {
                Matcher m = CHAIN.matcher(l);
                while (m.find()) {
                    chains.add(m.group());
                }
            }
        }
        return chains;
    }

    /** Every chain name of ours in both tables: netavark names them after the network. */
    static Set<String> chains(String subnet) {
        Set<String> out = new TreeSet<>();
        for (String t : List.of("nat", "filter")) {
            out.addAll(chainsOf(sh("iptables-save", "-t", t).lines().toList(), subnet));
        }
        return out;
    }

    /** Deletes the rules and chains netavark made for one of our subnets (what a flush of them does). */
    static void deleteRulesOf(String subnet) {
        for (String t : List.of("nat", "filter")) {
            List<String> lines = sh("iptables-save", "-t", t).lines().toList();
            Set<String> chains = chainsOf(lines, subnet);
            for (String l : rulesOf(t, subnet)) {
                if (l.startsWith("-A ")) {
                    List<String> argv = new ArrayList<>(List.of("iptables", "-t", t, "-D"));
                    argv.addAll(words(l.substring(3)));
                    sh(argv.toArray(String[]::new));
                }
            }
            for (String c : chains) {
                sh("iptables", "-t", t, "-F", c);
                sh("iptables", "-t", t, "-X", c);
            }
        }
        assertThat(rulesOf("nat", subnet)).as("our rules deleted").isEmpty();
    }

    /** iptables-save quoting: words, with "…" holding spaces. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out;
    }

    static Set<String> links() {
        Set<String> out = new TreeSet<>();
        sh("ip", "-o", "link").lines().forEach(l -> out.add(l.split(":")[1].trim().split("@")[0]));
        return out;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String fetch(String url) {
        // busybox 1.35's wget crashes on -T; timeout bounds a fetch that hangs instead
        return run(false, "busybox", "timeout", "5", "busybox", "wget", "-qO-", url);
    }

    static boolean answers(String url, String expected) {
        boolean ok = KpodHarness.eventually(15, () -> fetch(url).equals(expected));
        if (!ok) {
            // what a failure needs to be understood: the answer, the rules and the links
            System.err.println("no answer from " + url + ": " + run(true, "busybox", "timeout", "5", "busybox", "wget",
                    "-qO-", url) + "\n" + sh("iptables-save", "-t", "nat") + "\n" + sh("ip", "-o", "link"));
        }
        return ok;
    }

    /**
     * What a reboot does to one kpod installation: every process it started killed (conmon, the
     * containers, aardvark-dns), its mounts gone, its run root emptied, the bridges and the
     * firewall rules of {@code subnet} gone. The graph root (rows, volumes, images) stays.
     */
    static void reboot(KpodHarness kpod, String subnet, Set<String> bridges) throws Exception {
        for (Long pid : kpod.conmons()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Path runc = kpod.runRoot().resolve("runc");
        try (Stream<Path> ids = Files.list(runc)) {
            for (Path d : ids.toList()) {
                long pid = new ObjectMapper().readTree(d.resolve("state.json").toFile()).get("init_process_pid").asLong();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        Path aardvark = kpod.runRoot().resolve("netavark/aardvark-dns/aardvark.pid");
        if (Files.exists(aardvark)) {
            ProcessHandle.of(Long.parseLong(Files.readString(aardvark).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
        Thread.sleep(500);
        List<String> mounts = new ArrayList<>(kpod.mounts());
        mounts.sort(Comparator.reverseOrder());
        for (String mnt : mounts) {
            sh("umount", "-l", mnt);
        }
        try (Stream<Path> walk = Files.walk(kpod.runRoot())) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(kpod.runRoot()).doesNotExist();
        for (String b : bridges) {
            sh("ip", "link", "del", b);
        }
        deleteRulesOf(subnet);
    }
}
