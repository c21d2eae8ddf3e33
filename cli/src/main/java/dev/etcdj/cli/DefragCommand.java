package dev.etcdj.cli;

import dev.etcdj.client.EtcdClient;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** etcdctl's defrag (defrag_command.go): one member at a time, a line per member, exit 1 if any failed. */
@Command(name = "defrag", description = "Defragments the storage of the etcd members with given endpoints",
        customSynopsis = "defrag")
final class DefragCommand extends AdminCommand {

    @Option(names = "--cluster", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            description = "use all endpoints from the cluster member list")
    boolean cluster;

    @Option(names = "--data-dir", defaultValue = "",
            description = "Optional. If present, defragments a data directory not in use by etcd.")
    String dataDir;

    @Mixin
    CommandArgs cmd;

    @Override
    public Integer call() {
        Cli cli = cli();
        if (!dataDir.isEmpty()) {
            // etcd's data directory is a bbolt file etcdj cannot open; say so rather than pretend.
            cli.err.println("Failed to defragment etcd data[" + dataDir
                    + "] (etcdj cannot defragment a data directory offline; defragment the running member instead)");
            return CliException.EXIT_ERROR;
        }
        cli.client();
        List<String> endpoints = endpointsFromCluster(cluster);
        EtcdClient c = clientOn(endpoints);
        int failures = 0;
        for (String ep : endpoints) {
            try {
                cli.await(c.maintenance().defragment(ep));
                cli.out.println("Finished defragmenting etcd member[" + ep + "]");
            } catch (CliException e) {
                cli.err.println("Failed to defragment etcd member[" + ep + "] (" + e.getMessage() + ")");
                failures++;
            }
        }
        return failures != 0 ? CliException.EXIT_ERROR : 0;
    }
}
