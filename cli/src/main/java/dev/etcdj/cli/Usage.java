package dev.etcdj.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * etcdctl's help text (ctlv3/help.go): its template, its flag lines ({@code --name="default"\tusage})
 * and Go's tabwriter alignment, rendered from the picocli model of the command.
 */
final class Usage {

    static final String VERSION = "3.4.23";
    static final String API_VERSION = "3.4";

    private Usage() {}

    static String of(CommandSpec cmd) {
        StringBuilder t = new StringBuilder();
        boolean root = cmd.parent() == null;
        t.append("NAME:\n");
        t.append('\t').append(root ? cmd.name() : cmdName(cmd, cmd.root())).append(" - ").append(shortText(cmd)).append('\n');
        t.append("\nUSAGE:\n\t").append(useLine(cmd)).append('\n');
        if (root) {
            t.append("\nVERSION:\n\t").append(VERSION).append('\n');
        }
        boolean hasSubs = !cmd.subcommands().isEmpty();
        if (hasSubs) {
            t.append("\nAPI VERSION:\n\t").append(API_VERSION).append('\n');
            t.append("\n\nCOMMANDS:\n");
            for (CommandSpec sub : flatten(cmd)) {
                if (isRunnable(sub)) {
                    t.append('\t').append(cmdName(sub, cmd)).append('\t').append(shortText(sub)).append('\n');
                }
            }
        }
        String[] footer = cmd.usageMessage().footer();
        if (footer.length > 0) {
            t.append("\nDESCRIPTION:\n");
            String desc = String.join("\n", footer).replaceAll("^[\\n\\t ]+|[\\n\\t ]+$", "");
            for (String line : desc.split("\n", -1)) {
                t.append('\t').append(line).append('\n');
            }
        }
        List<OptionSpec> local = new ArrayList<>();
        List<OptionSpec> global = new ArrayList<>();
        for (OptionSpec o : cmd.options()) {
            if (o.hidden()) {
                continue;
            }
            (o.inherited() ? global : local).add(o);
        }
        if (!local.isEmpty()) {
            t.append("\nOPTIONS:\n").append(flagLines(local));
        }
        if (!global.isEmpty()) {
            t.append("\nGLOBAL OPTIONS:\n").append(flagLines(global));
        }
        t.append('\n');
        return TabWriter.format(t.toString());
    }

    /** cobra's default usage template, which etcdctl's txn prints for a bad op line (to stderr). */
    static String cobraDefault(CommandSpec cmd) {
        StringBuilder t = new StringBuilder("Usage:\n  ").append(' ').append(cmd.usageMessage().customSynopsis()[0])
                .append(" [flags]\n\nFlags:\n");
        List<OptionSpec> opts = sorted(cmd.options().stream().filter(o -> !o.hidden() && !o.inherited()).toList());
        List<String[]> rows = new ArrayList<>();
        int max = 0;
        for (OptionSpec o : opts) {
            String s = shorthand(o);
            String left = (s != null ? "  -" + s.substring(1) + ", --" : "      --") + longName(o);
            if (!isBool(o)) {
                left += " " + goType(o);
            }
            String usage = o.description().length > 0 ? o.description()[0] : "";
            if (!isBool(o) && o.defaultValue() != null && !o.defaultValue().isEmpty()
                    && !(o.type() != String.class && o.defaultValue().equals("0"))) {
                usage += " (default " + (o.type() == String.class ? GoValues.quote(o.defaultValue()) : o.defaultValue()) + ")";
            }
            rows.add(new String[] {left, usage});
            max = Math.max(max, left.length());
        }
        for (String[] r : rows) {
            t.append(r[0]).append(" ".repeat(max - r[0].length() + 3)).append(r[1]).append('\n');
        }
        return t.append('\n').toString();
    }

    private static String goType(OptionSpec o) {
        if (o.type() == long.class || o.type() == Long.class || o.type() == int.class) {
            return "int";
        }
        return "string";
    }

    private static String flagLines(List<OptionSpec> opts) {
        StringBuilder sb = new StringBuilder();
        for (OptionSpec o : sorted(opts)) {
            String s = shorthand(o);
            sb.append(s != null ? "  " + s + ", --" : "      --").append(longName(o));
            boolean optional = isBool(o);
            if (optional) {
                sb.append('[');
            }
            sb.append('=').append(goDefault(o));
            if (optional) {
                sb.append(']');
            }
            sb.append('\t').append(o.description().length > 0 ? o.description()[0] : "").append('\n');
        }
        return sb.toString();
    }

    private static List<OptionSpec> sorted(List<OptionSpec> opts) {
        List<OptionSpec> l = new ArrayList<>(opts);
        l.sort(Comparator.comparing(Usage::longName));
        return l;
    }

    static String longName(OptionSpec o) {
        return o.longestName().replaceFirst("^--?", "");
    }

    private static String shorthand(OptionSpec o) {
        for (String n : o.names()) {
            if (n.length() == 2 && n.charAt(0) == '-') {
                return n;
            }
        }
        return null;
    }

    private static boolean isBool(OptionSpec o) {
        return o.type() == boolean.class || o.type() == Boolean.class;
    }

    private static String goDefault(OptionSpec o) {
        String d = o.usageHelp() ? "false" : o.defaultValue();
        if (d == null && o.type() == String.class && o.initialValue() != null) {
            d = (String) o.initialValue(); // a field's initializer is its default, as a Go flag's
        }
        if (d == null) {
            d = "";
        }
        if (List.class.isAssignableFrom(o.type())) {
            return "[" + d + "]";
        }
        if (o.type() == String.class) {
            return GoValues.quote(d);
        }
        return d;
    }

    private static String shortText(CommandSpec c) {
        String[] d = c.usageMessage().description();
        return d.length > 0 ? d[0] : "";
    }

    /** cobra's UseLine: the parent's path, the Use text, and " [flags]" when the command has flags. */
    static String useLine(CommandSpec c) {
        String[] syn = c.usageMessage().customSynopsis();
        String use = syn.length > 0 ? syn[0] : c.name();
        String line = c.parent() == null ? use : c.parent().qualifiedName(" ") + " " + use;
        if (!c.options().isEmpty() && !line.contains("[flags]")) {
            line += " [flags]";
        }
        return line;
    }

    /** The command's name relative to {@code start}: "lease grant" under the root. */
    private static String cmdName(CommandSpec c, CommandSpec start) {
        List<String> parts = new ArrayList<>();
        parts.add(c.name());
        CommandSpec p = c.parent();
        while (p != null && p != start && !p.name().equals(start.name())) {
            parts.add(0, p.name());
            p = p.parent();
        }
        return String.join(" ", parts);
    }

    private static List<CommandSpec> flatten(CommandSpec c) {
        List<CommandSpec> all = new ArrayList<>();
        List<String> names = new ArrayList<>(c.subcommands().keySet());
        names.sort(Comparator.naturalOrder());
        java.util.Set<CommandSpec> seen = new java.util.HashSet<>();
        for (String n : names) {
            CommandLine sub = c.subcommands().get(n);
            if (seen.add(sub.getCommandSpec()) && sub.getCommandSpec().name().equals(n)) {
                all.add(sub.getCommandSpec());
                all.addAll(flatten(sub.getCommandSpec()));
            }
        }
        return all;
    }

    /** A command class that runs, or a {@code @Command} method (a group class only prints its usage). */
    static boolean isRunnable(CommandSpec c) {
        Object o = c.userObject();
        return o instanceof java.util.concurrent.Callable<?> || o instanceof java.lang.reflect.Method;
    }
}
