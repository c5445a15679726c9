package io.kpod.cli.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Go's text/tabwriter (elastic tabstops): tab-terminated cells in consecutive lines form a column whose
 * width is the widest cell plus padding (at least minWidth); a line's last cell is never padded.
 * Podman formats every table with {@code NewWriter(out, 12, 2, 2, ' ', 0)}, see {@link #podman()}.
 */
public final class TableWriter {
    /** Formatting flags of Go's tabwriter that kpod uses. */
    public enum Flag {
        /** Pad on the left, so cell text is right-aligned. */
        ALIGN_RIGHT,
        /** Print a '|' between columns, as tabwriter.Debug does. */
        DEBUG
    }

    private final int minWidth;
    private final int tabWidth;
    private final int padding;
    private final char padChar;
    private final boolean alignRight;
    private final boolean debug;
    private final StringBuilder buffer = new StringBuilder();

    private List<List<String>> lines;
    private final List<Integer> widths = new ArrayList<>();
    private StringBuilder out;

    /** Same parameters as Go's tabwriter.NewWriter. */
    public TableWriter(int minWidth, int tabWidth, int padding, char padChar, Flag... flags) {
        this.minWidth = minWidth;
        this.tabWidth = tabWidth;
        this.padding = padding;
        this.padChar = padChar;
        List<Flag> f = Arrays.asList(flags);
        // Go: padding with tabs forces left alignment
        this.alignRight = f.contains(Flag.ALIGN_RIGHT) && padChar != '\t';
        this.debug = f.contains(Flag.DEBUG);
    }

    /** Podman's table writer: minwidth 12, tabwidth 2, padding 2, padded with spaces. */
    public static TableWriter podman() {
        return new TableWriter(12, 2, 2, ' ');
    }

    /** Formats {@code text} with Podman's table settings. */
    public static String format(String text) {
        return podman().write(text).flush();
    }

    /** Buffers text; cells end at '\t', lines at '\n'. */
    public TableWriter write(CharSequence text) {
        buffer.append(text);
        return this;
    }

    /** Buffers one row: the cells joined by tabs, then a newline. */
    public TableWriter row(String... cells) {
        buffer.append(String.join("\t", cells)).append('\n');
        return this;
    }

    /** Formats everything buffered, clears the buffer and returns the aligned text. */
    public String flush() {
        String text = buffer.toString();
        buffer.setLength(0);
        lines = new ArrayList<>();
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            List<String> cells = new ArrayList<>(Arrays.asList(raw[i].split("\t", -1)));
            boolean last = i == raw.length - 1;
            // an unterminated empty cell at the very end is not a cell, as in Go's Flush
            if (last && cells.get(cells.size() - 1).isEmpty()) {
                cells.remove(cells.size() - 1);
            }
            lines.add(cells);
        }
        out = new StringBuilder();
        widths.clear();
        format(0, lines.size());
        return out.toString();
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }

    private void format(int line0, int line1) {
        int column = widths.size();
        for (int line = line0; line < line1; line++) {
            if (column >= lines.get(line).size() - 1) {
                continue;
            }
            // a cell exists in this column: print the lines above, then size this column's block
            writeLines(line0, line);
            line0 = line;
            int width = minWidth;
            for (; line < line1; line++) {
                List<String> cells = lines.get(line);
                if (column >= cells.size() - 1) {
                    break;
                }
                width = Math.max(width, width(cells.get(column)) + padding);
            }
            widths.add(width);
            format(line0, line);
            widths.remove(widths.size() - 1);
            line0 = line;
            line--;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            List<String> cells = lines.get(i);
            for (int j = 0; j < cells.size(); j++) {
                if (j > 0 && debug) {
                    out.append('|');
                }
                String c = cells.get(j);
                boolean padded = j < widths.size();
                if (c.isEmpty()) {
                    if (padded) {
                        pad(0, widths.get(j));
                    }
                } else if (alignRight) {
                    if (padded) {
                        pad(width(c), widths.get(j));
                    }
                    out.append(c);
                } else {
                    out.append(c);
                    if (padded) {
                        pad(width(c), widths.get(j));
                    }
                }
            }
            if (i + 1 < lines.size()) {
                out.append('\n');
            }
        }
    }

    private void pad(int textWidth, int cellWidth) {
        if (padChar == '\t') {
            if (tabWidth == 0) {
                return;
            }
            int cw = (cellWidth + tabWidth - 1) / tabWidth * tabWidth;
            int n = cw - textWidth;
            out.append("\t".repeat((n + tabWidth - 1) / tabWidth));
            return;
        }
        out.append(String.valueOf(padChar).repeat(Math.max(0, cellWidth - textWidth)));
    }
}
