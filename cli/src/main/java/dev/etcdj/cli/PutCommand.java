package dev.etcdj.cli;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Op;
import dev.etcdj.client.Options;
import dev.etcdj.client.PutOption;
import dev.etcdj.client.PutResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

final class PutCommand extends EtcdctlCommand implements RootCommand.Modeled {

    String lease;
    boolean prevKv;
    boolean ignoreValue;
    boolean ignoreLease;

    @Override
    public CommandSpec model() {
        Model m = model("put", "Puts the given key into the store",
                "put [options] <key> <value> (<value> can also be given from stdin)");
        m.footer("", "Puts the given key into the store.", "",
                "When <value> begins with '-', <value> is interpreted as a flag.",
                "Insert '--' for workaround:", "",
                "$ put <key> -- <value>",
                "$ put -- <key> <value>", "",
                "If <value> isn't given as a command line argument and '--ignore-value' is not specified,",
                "this command tries to read the value from standard input.", "",
                "If <lease> isn't given as a command line argument and '--ignore-lease' is not specified,",
                "this command tries to read the value from standard input.", "",
                "For example,",
                "$ cat file | put <key>",
                "will store the content of the file to <key>.", "");
        m.option("lease", "--lease").defaultValue("0").description("lease ID (in hexadecimal) to attach to the key");
        m.option("prevKv", "--prev-kv").description("return the previous key-value pair before modification");
        m.option("ignoreValue", "--ignore-value").description("updates the key using its current value");
        m.option("ignoreLease", "--ignore-lease").description("updates the key using its current lease");
        return m.spec();
    }

    @Override
    public Integer call() {
        Cli cli = cli();
        Op.Put op = op(cli.in);
        PutResponse r = (PutResponse) cli.await(cli.client().kv().execute(op));
        cli.printer().put(r);
        return 0;
    }

    /** etcdctl's getPutOp: the put these arguments describe; the value comes from stdin when absent. */
    Op.Put op(InputStream stdin) {
        if (cmd.args.isEmpty()) {
            throw badArgs("put command needs 1 argument and input from stdin or 2 arguments");
        }
        String key = cmd.args.get(0);
        if (ignoreValue && cmd.args.size() > 1) {
            throw badArgs("put command needs only 1 argument when 'ignore-value' is set");
        }
        Bytes value = Bytes.EMPTY;
        if (!ignoreValue) {
            if (cmd.args.size() > 1) {
                value = Bytes.of(cmd.args.get(1));
            } else {
                byte[] all;
                try {
                    all = stdin.readAllBytes();
                } catch (IOException e) {
                    all = new byte[0];
                }
                if (all.length == 0) {
                    throw badArgs("put command needs 1 argument and input from stdin or 2 arguments");
                }
                value = Bytes.wrap(all);
            }
        }
        long id;
        try {
            id = GoValues.parseInt(lease, 16);
        } catch (GoValues.BadValue e) {
            throw badArgs("bad lease ID (" + e.getMessage() + "), expecting ID in Hex");
        }
        List<PutOption> opts = new ArrayList<>();
        if (id != 0) {
            opts.add(Options.lease(id));
        }
        if (prevKv) {
            opts.add(Options.prevKv());
        }
        if (ignoreValue) {
            opts.add(Options.ignoreValue());
        }
        if (ignoreLease) {
            opts.add(Options.ignoreLease());
        }
        return Op.put(Bytes.of(key), value, opts.toArray(PutOption[]::new));
    }
}
