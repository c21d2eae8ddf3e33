package dev.etcdj.cli;

import dev.etcdj.cli.serve.ServeMain;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code etcdj serve}: listed among the commands here; {@link Main} hands its command line to
 * {@link ServeMain} before picocli parses anything, since it takes etcd's flags (Go syntax, {@code ETCD_*}
 * variables, {@code --config-file}), not etcdctl's. See {@code docs/serve-flags.md}.
 */
@Command(name = "serve", description = "Runs the embedded etcdj server (etcd 3.4's flags, ETCD_* variables or --config-file)",
        customSynopsis = "serve [etcd flags]")
final class ServeCommand extends BaseCommand {

    @Override
    public Integer call() {
        // Reached only through an abbreviation of "serve" that Main did not intercept: run the same thing.
        Cli cli = cli();
        List<String> raw = Arrays.asList(cli.rawArgs);
        return ServeMain.run(raw.subList(1, raw.size()), cli.out, cli.err, cli.env, cli.interrupted);
    }
}
