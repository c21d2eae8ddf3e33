package dev.etcdj.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's text/tabwriter as etcdctl configures it for help text (minwidth 0, tabwidth 8, padding 1,
 * padding with tabs): tab-terminated cells of consecutive lines form column blocks, each as wide as
 * its widest cell plus one, rounded up to a tab stop.
 */
final class TabWriter {

    private static final int TAB_WIDTH = 8;
    private static final int PADDING = 1;

    private TabWriter() {}

    static String format(String text) {
        boolean trailingNewline = text.endsWith("\n");
        String[] rawLines = (trailingNewline ? text.substring(0, text.length() - 1) : text).split("\n", -1);
        List<String[]> lines = new ArrayList<>();
        for (String l : rawLines) {
            lines.add(l.split("\t", -1));
        }
        StringBuilder out = new StringBuilder();
        List<Integer> widths = new ArrayList<>();
        format(lines, 0, lines.size(), widths, out);
        String s = out.toString();
        // writeLines puts a newline after every line; the text's own last newline is the last one.
        return trailingNewline ? s : s.substring(0, Math.max(0, s.length() - 1));
    }

    /** Go's Writer.format: recursive over column blocks. */
    private static void format(List<String[]> lines, int line0, int line1, List<Integer> widths, StringBuilder out) {
        int column = widths.size();
        for (int i = line0; i < line1; i++) {
            String[] line = lines.get(i);
            if (column >= line.length - 1) {
                continue;
            }
            // A cell in this column: lines before it are printed with the widths known so far.
            writeLines(lines, line0, i, widths, out);
            line0 = i;
            int width = 0;
            for (; i < line1; i++) {
                line = lines.get(i);
                if (column >= line.length - 1) {
                    break;
                }
                width = Math.max(width, line[column].codePointCount(0, line[column].length()) + PADDING);
            }
            widths.add(width);
            format(lines, line0, i, widths, out);
            widths.remove(widths.size() - 1);
            line0 = i;
            i--;
        }
        writeLines(lines, line0, line1, widths, out);
    }

    private static void writeLines(List<String[]> lines, int line0, int line1, List<Integer> widths, StringBuilder out) {
        for (int i = line0; i < line1; i++) {
            String[] line = lines.get(i);
            for (int j = 0; j < line.length; j++) {
                String cell = line[j];
                out.append(cell);
                if (j < widths.size() && j < line.length - 1) {
                    int textw = cell.codePointCount(0, cell.length());
                    int cellw = (widths.get(j) + TAB_WIDTH - 1) / TAB_WIDTH * TAB_WIDTH;
                    int n = cellw - textw;
                    out.append("\t".repeat((n + TAB_WIDTH - 1) / TAB_WIDTH));
                }
            }
            out.append('\n');
        }
    }
}
