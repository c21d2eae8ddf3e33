package dev.etcdj.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the etcdctl version whose behaviour etcdj reproduces, as etcdctl prints its own. */
@Command(name = "version", description = "Prints the version of etcdctl", customSynopsis = "version")
final class VersionCommand extends BaseCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "help for version")
    boolean help;

    @Override
    public Integer call() {
        cli().out.println("etcdctl version: " + Usage.VERSION);
        cli().out.println("API version: " + Usage.API_VERSION);
        return 0;
    }
}
