package dev.etcdj.bench;

import picocli.CommandLine;

/**
 * The standalone benchmark program: every workload of {@link BenchCommand} plus {@code matrix},
 * which starts servers itself and compares etcdj with jetcd and etcd's Go client.
 * <pre>
 * java -cp ... dev.etcdj.bench.BenchMain put --endpoints http://127.0.0.1:2379 --total 10000 --compare jetcd
 * java -cp ... dev.etcdj.bench.BenchMain matrix --markdown results.md
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {}

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setCommandName("etcdj-bench");
        cl.addSubcommand("matrix", new MatrixCommand());
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
