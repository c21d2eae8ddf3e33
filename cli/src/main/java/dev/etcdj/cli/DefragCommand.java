package dev.etcdj.cli;

import dev.etcdj.client.EtcdClient;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** etcdctl's defrag (defrag_command.go): one member at a time, a line per member, exit 1 if any failed. */
final class DefragCommand extends EtcdctlCommand implements RootCommand.Modeled {

    boolean cluster;
    String dataDir;

    @Override
    public CommandSpec model() {
        Model m = model("defrag", "Defragments the storage of the etcd members with given endpoints",
                "defrag");
        m.option("cluster", "--cluster")
                .description("use all endpoints from the cluster member list");
        m.option("dataDir", "--data-dir").defaultValue("")
                .description("Optional. If present, defragments a data directory not in use by etcd.");
        return m.spec();
    }

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
        Asked<String> asked = askEach(endpoints, "Failed to defragment etcd member[%s]",
                ep -> c.maintenance().defragment(ep), (ep, r) -> {
                    cli.out.println("Finished defragmenting etcd member[" + ep + "]");
                    return ep;
                });
        return asked.lastError() != null ? CliException.EXIT_ERROR : 0;
    }
}
