package dev.etcdj.cli;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import dev.etcdj.client.Op;
import dev.etcdj.client.TxnResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * etcdctl's txn: compares, a blank line, success ops, a blank line, failure ops, a blank line, read
 * from stdin (with prompts when interactive).
 */
final class TxnCommand extends EtcdctlCommand implements RootCommand.Modeled {

    boolean interactive;

    @Override
    public CommandSpec model() {
        Model m = model("txn", "Txn processes all the requests in one transaction",
                "txn [options]");
        m.option("interactive", "-i", "--interactive")
                .description("Input transaction in interactive mode");
        return m.spec();
    }

    @Override
    public Integer call() {
        cmd.exactly(0, "txn command does not accept argument");
        Cli cli = cli();
        var client = cli.client();
        prompt(cli, "compares:");
        List<Cmp> cmps = readCompares(cli.in);
        prompt(cli, "success requests (get, put, del):");
        List<Op> success = readOps(cli);
        prompt(cli, "failure requests (get, put, del):");
        List<Op> failure = readOps(cli);
        TxnResponse r = cli.await(client.kv().txn().when(cmps.toArray(Cmp[]::new)).then(success.toArray(Op[]::new))
                .orElse(failure.toArray(Op[]::new)).commit());
        cli.printer().txn(r);
        return 0;
    }

    private void prompt(Cli cli, String s) {
        if (interactive) {
            cli.out.println(s);
            cli.out.flush();
        }
    }

    static List<Cmp> readCompares(InputStream in) {
        List<Cmp> cmps = new ArrayList<>();
        while (true) {
            String line = readLine(in).strip();
            if (line.isEmpty()) {
                return cmps;
            }
            cmps.add(parseCompare(line));
        }
    }

    static List<Op> readOps(Cli cli) {
        List<Op> ops = new ArrayList<>();
        while (true) {
            String line = readLine(cli.in).strip();
            if (line.isEmpty()) {
                return ops;
            }
            ops.add(parseOp(line, cli));
        }
    }

    /** bufio.Reader.ReadString('\n'): a line without its newline; EOF before a newline is an error. */
    static String readLine(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new CliException(CliException.EXIT_INVALID_INPUT, "EOF");
                }
                buf.write(c);
            }
        } catch (IOException e) {
            throw new CliException(CliException.EXIT_INVALID_INPUT, e.getMessage());
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** etcdctl's parseCompare: {@code target("key") op "value"}, with its error texts. */
    static Cmp parseCompare(String line) {
        int paren = line.indexOf('(');
        if (paren < 0) {
            throw invalidInput("malformed comparison: " + line);
        }
        String target = line.substring(0, paren);
        GoScan.Compare c = GoScan.scanCompare(line.substring(paren + 1));
        if (c.n() != 3) {
            throw invalidInput("malformed comparison: " + line + "; got " + target + "(" + GoValues.quote(c.key()) + ") "
                    + c.op() + " " + GoValues.quote(c.val()));
        }
        Bytes key = Bytes.of(c.key());
        return switch (target) {
            case "ver", "version" -> number(key, Cmp.Target.VERSION, c, line);
            case "c", "create" -> number(key, Cmp.Target.CREATE, c, line);
            case "m", "mod" -> number(key, Cmp.Target.MOD, c, line);
            case "val", "value" -> new Cmp(key, Bytes.EMPTY, Cmp.Target.VALUE, result(c.op()), 0, Bytes.of(c.val()));
            case "lease" -> {
                // clientv3.Compare checks the operator first, then panics: etcdctl 3.4 passes the value as a string.
                result(c.op());
                throw new Main.GoPanic("bad value");
            }
            default -> throw invalidInput("malformed comparison: " + line + " (unknown target " + target + ")");
        };
    }

    private static Cmp number(Bytes key, Cmp.Target target, GoScan.Compare c, String line) {
        long v;
        try {
            v = GoValues.parseInt(c.val(), 10);
        } catch (GoValues.BadValue e) {
            throw invalidInput("invalid txn compare request: " + line);
        }
        return new Cmp(key, Bytes.EMPTY, target, result(c.op()), v, Bytes.EMPTY);
    }

    private static Cmp.Result result(String op) {
        return switch (op) {
            case "=" -> Cmp.Result.EQUAL;
            case "!=" -> Cmp.Result.NOT_EQUAL;
            case ">" -> Cmp.Result.GREATER;
            case "<" -> Cmp.Result.LESS;
            default -> throw new Main.GoPanic("Unknown result op");
        };
    }

    /** Ops are parsed by etcdctl's own put/get/del commands, without the global flags. */
    private static CommandSpec opCommands() {
        CommandSpec ops = CommandSpec.create().name("");
        ops.addSubcommand("put", new CommandLine(new PutCommand().model()));
        ops.addSubcommand("get", new CommandLine(new GetCommand().model()));
        ops.addSubcommand("del", new CommandLine(new DelCommand().model()));
        return ops;
    }

    static Op parseOp(String line, Cli cli) {
        List<String> args = GoScan.argify(line);
        if (args.size() < 2) {
            throw invalidInput("invalid txn compare request: " + line);
        }
        CommandLine cl = Main.commandLine(opCommands());
        ParseResult pr;
        try {
            pr = cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            if (e.getCommandLine().getCommandSpec().userObject() instanceof BaseCommand) {
                // cobra prints the op command's default usage to stderr before the error.
                cli.err.print(Usage.cobraDefault(e.getCommandLine().getCommandSpec()));
            }
            throw invalidInput("invalid txn request: " + line);
        }
        ParseResult sub = pr.subcommand();
        if (sub == null || sub.isUsageHelpRequested()) {
            throw invalidInput("invalid txn request: " + line);
        }
        Object cmd = sub.commandSpec().userObject();
        // etcdctl reads a missing put value from os.Stdin, which its line reader has already drained.
        InputStream drained = new ByteArrayInputStream(new byte[0]);
        if (cmd instanceof PutCommand put) {
            return put.op(drained);
        }
        if (cmd instanceof GetCommand get) {
            return get.op();
        }
        return ((DelCommand) cmd).op();
    }

    private static CliException invalidInput(String message) {
        return new CliException(CliException.EXIT_INVALID_INPUT, message);
    }
}
