package dev.etcdj.cli;

import dev.etcdj.cli.serve.ServeMain;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code etcdj serve}: listed among the commands here; {@link Main} hands its command line to
 * {@link ServeMain} before picocli parses anything, since it takes etcd's flags (Go syntax, {@code ETCD_*}
 * variables, {@code --config-file}), not etcdctl's. See {@code docs/serve-flags.md}.
 */
@Command(name = "serve", description = "Runs the embedded etcdj server (etcd 3.4's flags, ETCD_* variables or --config-file)",
        customSynopsis = "serve [etcd flags]")
final class ServeCommand extends BaseCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        // Reached only when Main did not intercept (an abbreviation, or etcdctl flags before it): etcd's
        // flags are the arguments after the command's own name.
        Cli cli = cli();
        List<String> raw = Arrays.asList(cli.rawArgs);
        int at = 0;
        while (at < raw.size() && !spec.name().startsWith(raw.get(at))) {
            at++;
        }
        return ServeMain.run(raw.subList(Math.min(at + 1, raw.size()), raw.size()), cli.out, cli.err, cli.env,
                cli.interrupted);
    }
}
