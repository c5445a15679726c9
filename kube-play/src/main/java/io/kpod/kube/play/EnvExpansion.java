package io.kpod.kube.play;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion in command, args and env values: a reference to a
 * variable defined before is replaced by its value, {@code $$} is a literal {@code $} (so
 * {@code $$(VAR)} gives {@code $(VAR)}), and a reference to an unknown variable stays as written.
 */
public final class EnvExpansion {
    private EnvExpansion() {
    }

    public static String expand(String in, Map<String, String> env) {
        StringBuilder out = new StringBuilder(in.length());
        int i = 0;
        while (i < in.length()) {
            char c = in.charAt(i);
            if (c != '$' || i + 1 >= in.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = in.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = in.indexOf(')', i + 2);
                if (close < 0) {
                    out.append(in, i, in.length());
                    break;
                }
                String name = in.substring(i + 2, close);
                String value = env.get(name);
                out.append(value != null ? value : in.substring(i, close + 1));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
