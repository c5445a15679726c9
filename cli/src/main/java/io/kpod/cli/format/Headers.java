package io.kpod.cli.format;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Column titles as Podman's report.Headers derives them: field names split at camel case, upper-cased. */
public final class Headers {
    private Headers() {
    }

    /** Titles for {@code fieldNames}, then every override (upper-cased) on top, as Podman does. */
    public static Map<String, String> of(Collection<String> fieldNames, Map<String, String> overrides) {
        Map<String, String> h = new LinkedHashMap<>();
        for (String f : fieldNames) {
            h.put(f, String.join(" ", splitCamelCase(f)).toUpperCase(Locale.ROOT));
        }
        overrides.forEach((k, v) -> h.put(k, v.toUpperCase(Locale.ROOT)));
        return h;
    }

    /** fatih/camelcase.Split as vendored by Podman: "PDFLoader" → [PDF, Loader], "GL11Version" → [GL, 11, Version]. */
    public static List<String> splitCamelCase(String s) {
        List<StringBuilder> runs = new ArrayList<>();
        int lastClass = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int cls = Character.isLowerCase(cp) ? 1 : Character.isUpperCase(cp) ? 2 : Character.isDigit(cp) ? 3 : 4;
            if (cls == lastClass) {
                runs.get(runs.size() - 1).appendCodePoint(cp);
            } else {
                runs.add(new StringBuilder().appendCodePoint(cp));
            }
            lastClass = cls;
            i += Character.charCount(cp);
        }
        for (int i = 0; i < runs.size() - 1; i++) {
            StringBuilder cur = runs.get(i);
            StringBuilder nxt = runs.get(i + 1);
            if (Character.isUpperCase(cur.codePointAt(0)) && Character.isLowerCase(nxt.codePointAt(0))) {
                int lastStart = cur.offsetByCodePoints(cur.length(), -1);
                nxt.insert(0, cur.substring(lastStart));
                cur.setLength(lastStart);
            }
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder r : runs) {
            if (r.length() > 0) {
                out.add(r.toString());
            }
        }
        return out;
    }
}
