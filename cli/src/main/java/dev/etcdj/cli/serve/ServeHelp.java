package dev.etcdj.cli.serve;

import java.util.Map;

/** {@code etcdj serve --help}: etcd's usage lines, then every flag by group with its default and what etcdj does. */
final class ServeHelp {

    private ServeHelp() {}

    /** What etcd prints (to stderr) with a flag error and before its help. */
    static String usage() {
        return """
                Usage:

                  etcdj serve [flags]
                    Start an etcdj server (a single etcd 3.4 member).

                  etcdj serve --version
                    Show the version of etcd this server speaks.

                  etcdj serve -h | --help
                    Show the help information about etcdj serve.

                  etcdj serve --config-file
                    Path to the server configuration file. Note that if a configuration file is provided, other command line flags and environment variables will be ignored.
                """;
    }

    /** The flags by group, as etcd's help lists them, each with etcdj's status when it is not plainly implemented. */
    static String flags() {
        StringBuilder sb = new StringBuilder();
        String group = null;
        for (Map.Entry<String, Flag> e : EtcdFlags.ALL.entrySet()) {
            Flag f = e.getValue();
            if (f.group().isEmpty()) {
                continue;
            }
            if (!f.group().equals(group)) {
                group = f.group();
                sb.append('\n').append(group).append(":\n");
            }
            String def = f.name().equals("data-dir") ? "${name}.etcd" : f.def();
            sb.append("  --").append(f.name()).append(" '").append(def).append("'\n");
            sb.append("    ").append(f.help()).append('\n');
            if (f.status() != Flag.Status.IMPLEMENTED) {
                sb.append("    [etcdj: ").append(f.status() == Flag.Status.NO_OP ? "accepted, no effect" : "refused")
                        .append(" — ").append(f.note()).append("]\n");
            }
        }
        return sb.toString();
    }
}
