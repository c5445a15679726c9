package io.kpod.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies {@code --change} instructions ({@code podman import/commit --change}) to an image
 * config. Each is a Dockerfile instruction, {@code INSTR value} or {@code INSTR=value}: CMD,
 * ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR. CMD and ENTRYPOINT take
 * a JSON array (exec form) or a string run by {@code /bin/sh -c} (shell form).
 */
public final class ConfigChanges {
    private static final Pattern INSTRUCTION = Pattern.compile("\\s*([A-Za-z]+)(?:\\s+|=)(.*)", Pattern.DOTALL);
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\s]+");
    private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?(?:/(tcp|udp|sctp))?");
    private static final Pattern SIGNAL = Pattern.compile("(SIG)?[A-Z][A-Z0-9+-]*|\\d{1,2}");

    private List<String> env;
    private List<String> cmd;
    private List<String> entrypoint;
    private String workingDir;
    private String user;
    private Set<String> volumes;
    private Set<String> ports;
    private Map<String, String> labels;
    private String stopSignal;

    private ConfigChanges(ImageConfig base) {
        env = new ArrayList<>(base.env());
        cmd = base.cmd();
        entrypoint = base.entrypoint();
        workingDir = base.workingDir();
        user = base.user();
        volumes = new LinkedHashSet<>(base.volumes());
        ports = new LinkedHashSet<>(base.exposedPorts());
        labels = new LinkedHashMap<>(base.labels());
        stopSignal = base.stopSignal();
    }

    /** Returns {@code base} with every change applied in order; throws INVALID on the first bad one. */
    public static ImageConfig apply(ImageConfig base, List<String> changes) {
        ConfigChanges c = new ConfigChanges(base);
        for (String change : changes) {
            c.applyOne(change);
        }
        return new ImageConfig(c.env, c.cmd, c.entrypoint, c.workingDir, c.user, new ArrayList<>(c.volumes),
                new ArrayList<>(c.ports), c.labels, c.stopSignal);
    }

    private void applyOne(String change) {
        Matcher m = INSTRUCTION.matcher(change);
        if (!m.matches() || m.group(2).isBlank() && !m.group(1).equalsIgnoreCase("CMD")
                && !m.group(1).equalsIgnoreCase("ENTRYPOINT")) {
            throw bad(change, "expected INSTRUCTION VALUE or INSTRUCTION=VALUE");
        }
        String value = m.group(2).trim();
        switch (m.group(1).toUpperCase()) {
            case "CMD" -> cmd = command(value);
            case "ENTRYPOINT" -> entrypoint = command(value);
            case "ENV" -> env(change, value);
            case "LABEL" -> keyValues(change, value, "LABEL").forEach(labels::put);
            case "EXPOSE" -> expose(change, value);
            case "VOLUME" -> volume(change, value);
            case "WORKDIR" -> workingDir = value.startsWith("/") ? value
                    : (workingDir.isEmpty() ? "/" : workingDir.endsWith("/") ? workingDir : workingDir + "/") + value;
            case "USER" -> user = value;
            case "STOPSIGNAL" -> {
                if (!SIGNAL.matcher(value).matches()) {
                    throw bad(change, "\"" + value + "\" is not a signal name or number");
                }
                stopSignal = value;
            }
            default -> throw bad(change, "unsupported instruction " + m.group(1).toUpperCase()
                    + "; valid are CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR");
        }
    }

    /** Exec form when the value parses as a JSON array of strings, else shell form (Docker's rule). */
    static List<String> command(String value) {
        List<String> exec = jsonArray(value);
        if (exec != null) {
            return exec;
        }
        return value.isEmpty() ? List.of() : List.of("/bin/sh", "-c", value);
    }

    private static List<String> jsonArray(String value) {
        if (!value.startsWith("[")) {
            return null;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(value);
            if (n == null || !n.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode x : n) {
                if (!x.isTextual()) {
                    return null;
                }
                out.add(x.asText());
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    private void env(String change, String value) {
        List<String> words = words(change, value);
        Map<String, String> set = new LinkedHashMap<>();
        if (!words.get(0).contains("=")) {
            // legacy form: ENV NAME the rest of the line
            String[] nameAndRest = value.split("\\s+", 2);
            if (nameAndRest.length < 2) {
                throw bad(change, "ENV needs NAME=VALUE or NAME VALUE");
            }
            set.put(nameAndRest[0], nameAndRest[1].trim());
        } else {
            set.putAll(keyValues(change, value, "ENV"));
        }
        for (Map.Entry<String, String> e : set.entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                throw bad(change, "invalid environment variable name \"" + e.getKey() + "\"");
            }
            env.removeIf(x -> x.startsWith(e.getKey() + "="));
            env.add(e.getKey() + "=" + e.getValue());
        }
    }

    private static Map<String, String> keyValues(String change, String value, String instr) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> words = words(change, value);
        if (words.size() >= 2 && !words.get(0).contains("=")) {
            out.put(words.get(0), String.join(" ", words.subList(1, words.size())));
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw bad(change, instr + " expects KEY=VALUE pairs, got \"" + w + "\"");
            }
            out.put(w.substring(0, eq), w.substring(eq + 1));
        }
        return out;
    }

    private void expose(String change, String value) {
        for (String p : words(change, value)) {
            Matcher m = PORT.matcher(p.toLowerCase());
            if (!m.matches()) {
                throw bad(change, "\"" + p + "\" is not PORT[-END][/tcp|udp|sctp]");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (from < 1 || to > 65535 || to < from) {
                throw bad(change, "port \"" + p + "\" is out of range 1-65535");
            }
            String proto = m.group(3) == null ? "tcp" : m.group(3);
            for (int port = from; port <= to; port++) {
                ports.add(port + "/" + proto);
            }
        }
    }

    private void volume(String change, String value) {
        List<String> paths = jsonArray(value);
        if (paths == null) {
            paths = words(change, value);
        }
        for (String v : paths) {
            if (!v.startsWith("/")) {
                throw bad(change, "volume \"" + v + "\" must be an absolute path");
            }
            volumes.add(v);
        }
    }

    /** Splits on unquoted white space, honouring '…', "…" and backslash escapes as a shell would. */
    static List<String> words(String change, String value) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (quote == '\'') {
                if (ch == '\'') {
                    quote = 0;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '\\' && i + 1 < value.length()) {
                cur.append(value.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (ch == '"') {
                    quote = 0;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw bad(change, "unterminated quote");
        }
        if (inWord) {
            out.add(cur.toString());
        }
        if (out.isEmpty()) {
            throw bad(change, "missing value");
        }
        return out;
    }

    private static KpodException bad(String change, String why) {
        return KpodException.invalid("invalid --change \"" + change + "\": " + why);
    }
}
