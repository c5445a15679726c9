package io.kpod.quadlet;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code Mount=} value: comma-separated (CSV-quoted) {@code key=value} fields with a
 * {@code type=}. For bind, glob, volume and image mounts the source is resolved like a
 * {@code Volume=} source and the result is rewritten with {@code type=} first.
 */
final class MountOption {
    private MountOption() {
    }

    static String resolve(UnitFile unit, UnitFile service, String mount, ConversionContext ctx, UnitEntry entry) {
        List<String> fields = parseCsv(mount, entry);
        String type = null;
        List<String> rest = new ArrayList<>();
        for (String field : fields) {
            String[] kv = field.split("=", -1);
            if (type == null && kv.length == 2 && kv[0].equals("type")) {
                type = kv[1];
            } else {
                rest.add(field);
            }
        }
        if (type == null) {
            throw QuadletException.at(entry, "incorrect mount format '" + mount
                    + "': should be type=<bind|glob|tmpfs|volume|image|devpts>,[src=<source>,]target=<dir>[,options]");
        }
        if (!List.of("volume", "bind", "glob", "image").contains(type)) {
            return mount;
        }
        for (int i = 0; i < rest.size(); i++) {
            String field = rest.get(i);
            int eq = field.indexOf('=');
            String key = eq < 0 ? field : field.substring(0, eq);
            if (key.equals("source") || key.equals("src")) {
                if (eq < 0 || eq == field.length() - 1) {
                    throw QuadletException.at(entry, "mount source parameter does not include a value");
                }
                String source = CommonOptions.storageSource(unit, service, field.substring(eq + 1), ctx, entry, true);
                rest.set(i, "source=" + source);
            }
        }
        rest.add(0, "type=" + type);
        return toCsv(rest);
    }

    private static List<String> parseCsv(String text, UnitEntry entry) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '"') {
                throw QuadletException.at(entry, "bare \" in non-quoted field of mount '" + text + "'");
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw QuadletException.at(entry, "unterminated quote in mount '" + text + "'");
        }
        fields.add(field.toString());
        return fields;
    }

    private static String toCsv(List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            boolean quote = f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")
                    || f.startsWith(" ") || f.startsWith("\t");
            out.add(quote ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
        }
        return String.join(",", out);
    }
}
