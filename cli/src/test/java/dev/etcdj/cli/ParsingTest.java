package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Cmp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flag and input parsing that needs no server: errors, exit codes and help as etcdctl 3.4.23 gives them. */
class ParsingTest {

    record Run(String out, String err, int code) {}

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), code);
    }

    @Test
    void argumentErrorsExitWithEtcdctlCodes() {
        assertThat(run("", "get")).isEqualTo(new Run("",
                "Error: get command needs one argument as key and an optional argument as range_end\n", 128));
        assertThat(run("", "put")).isEqualTo(new Run("",
                "Error: put command needs 1 argument and input from stdin or 2 arguments\n", 128));
        assertThat(run("", "get", "k", "--sort-by", "foo")).isEqualTo(new Run("", "Error: bad sort target foo\n", 4));
        assertThat(run("", "get", "--prefix", "--from-key", "a").err())
                .isEqualTo("Error: `--prefix` and `--from-key` cannot be set at the same time, choose one\n");
        assertThat(run("", "lease", "revoke", "zz")).isEqualTo(new Run("",
                "Error: bad lease ID arg (strconv.ParseInt: parsing \"zz\": invalid syntax), expecting ID in Hex\n", 128));
        assertThat(run("", "compaction", "abc")).isEqualTo(new Run("",
                "Error: strconv.ParseInt: parsing \"abc\": invalid syntax\n", 1));
        assertThat(run("", "watch")).isEqualTo(new Run("", "Error: bad number of arguments\n", 128));
        assertThat(run("", "txn", "extra").code()).isEqualTo(128);
    }

    @Test
    void flagErrorsPrintUsageAndTheErrorTwice() {
        Run r = run("", "get", "foo", "--rev", "abc");
        assertThat(r.code()).isEqualTo(1);
        String msg = "Error: invalid argument \"abc\" for \"--rev\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\n";
        assertThat(r.err()).isEqualTo(msg + "\n" + msg);
        assertThat(r.out()).startsWith("NAME:\n\tget - Gets the key or a range of keys\n\nUSAGE:\n"
                + "\tetcdctl get [options] <key> [range_end] [flags]\n\nOPTIONS:\n"
                + "      --consistency=\"l\"\t\t\tLinearizable(l) or Serializable(s)\n");
        assertThat(r.out()).contains("      --endpoints=[127.0.0.1:2379]\t\tgRPC endpoints\n");
        assertThat(run("", "get", "foo", "-x").err()).startsWith("Error: unknown shorthand flag: 'x' in -x\n");
        assertThat(run("", "get", "--bogus").err()).startsWith("Error: unknown flag: --bogus\n");
        assertThat(run("", "get", "foo", "--rev").err()).startsWith("Error: flag needs an argument: --rev\n");
        assertThat(run("", "bogus")).isEqualTo(new Run("", "Error: unknown command \"bogus\" for \"etcdctl\"\n"
                + "Run 'etcdctl --help' for usage.\nError: unknown command \"bogus\" for \"etcdctl\"\n", 1));
    }

    @Test
    void commandsWithSubcommandsShowTheirUsage() {
        Run r = run("", "lease");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("COMMANDS:\n\tgrant\t\tCreates leases\n\tkeep-alive\tKeeps leases alive (renew)\n"
                + "\tlist\t\tList all active leases\n\trevoke\t\tRevokes leases\n\ttimetolive\tGet lease information\n");
    }

    @Test
    void txnInputErrors() {
        assertThat(run("", "txn")).isEqualTo(new Run("", "Error: EOF\n", 3));
        assertThat(run("bogus\n\n\n", "txn")).isEqualTo(new Run("", "Error: malformed comparison: bogus\n", 3));
        assertThat(run("mod(foo) > \"0\"\n\n\n", "txn").err())
                .isEqualTo("Error: malformed comparison: mod(foo) > \"0\"; got mod(\"\")  \"\"\n");
        assertThat(run("\nfoo bar\n\n\n", "txn").err()).isEqualTo("Error: invalid txn request: foo bar\n");
        Run bad = run("\nput foo --bogus\n\n\n", "txn");
        assertThat(bad.err()).isEqualTo("Usage:\n   put [options] <key> <value> (<value> can also be given from stdin) [flags]\n\n"
                + "Flags:\n  -h, --help           help for put\n      --ignore-lease   updates the key using its current lease\n"
                + "      --ignore-value   updates the key using its current value\n"
                + "      --lease string   lease ID (in hexadecimal) to attach to the key (default \"0\")\n"
                + "      --prev-kv        return the previous key-value pair before modification\n\n"
                + "Error: invalid txn request: put foo --bogus\n");
        assertThat(run("mod(\"k\") >= \"1\"\n\n\n", "txn").code()).isEqualTo(2);
    }

    @Test
    void comparesParseLikeEtcdctl() {
        Cmp c = TxnCommand.parseCompare("value(\"a b\") != \"x\\ty\"");
        assertThat(c).isEqualTo(new Cmp(Bytes.of("a b"), Bytes.EMPTY, Cmp.Target.VALUE, Cmp.Result.NOT_EQUAL, 0, Bytes.of("x\ty")));
        assertThat(TxnCommand.parseCompare("c(\"k\") < \"5\"").number()).isEqualTo(5);
        assertThat(GoScan.argify("put \"a b\" 'cc' d")).containsExactly("put", "a b", "cc", "d");
        // etcdctl's argify cuts single-quoted arguments by the argument count: 'x y' with 2 args is "".
        assertThat(GoScan.argify("get 'x y'")).isEqualTo(List.of("get", ""));
        assertThatThrownBy(() -> TxnCommand.parseCompare("ver(\"k\") = \"x\""))
                .hasMessage("invalid txn compare request: ver(\"k\") = \"x\"");
    }

    @Test
    void versionAndProtobufRefusal() {
        assertThat(run("", "version")).isEqualTo(new Run("etcdctl version: 3.4.23\nAPI version: 3.4\n", "", 0));
        Run r = run("", "--endpoints", "127.0.0.1:1", "get", "k", "-w", "protobuf");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("protobuf not supported");
    }
}
