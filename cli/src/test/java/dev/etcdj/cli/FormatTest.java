package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.cli.output.FieldsPrinter;
import dev.etcdj.cli.output.GoFormat;
import dev.etcdj.cli.output.JsonPrinter;
import dev.etcdj.cli.output.SimplePrinter;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.DeleteResponse;
import dev.etcdj.client.GetResponse;
import dev.etcdj.client.KeyValue;
import dev.etcdj.client.LeaseGrantResponse;
import dev.etcdj.client.LeaseListResponse;
import dev.etcdj.client.LeaseTimeToLiveResponse;
import dev.etcdj.client.PutResponse;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.TxnResponse;
import dev.etcdj.client.WatchEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Output formats, checked against text captured from etcdctl 3.4.23. */
class FormatTest {

    static final ResponseHeader H = new ResponseHeader(Long.parseUnsignedLong("15118495548433857066"),
            Long.parseUnsignedLong("13668033151171901709"), 2, 2);
    static final KeyValue FOO = new KeyValue(Bytes.of("foo"), Bytes.of("bar"), 2, 2, 1, 0);

    static String capture(Consumer<PrintStream> body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(b, true, StandardCharsets.UTF_8);
        body.accept(ps);
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void goQuoteMatchesStrconvQuote() {
        byte[] v = {'h', 0, (byte) 0xFF, '\n', 'i', '"', '\t', '\\', (byte) 0xC3, (byte) 0xA9};
        assertThat(GoFormat.quote(v)).isEqualTo("\"h\\x00\\xff\\ni\\\"\\t\\\\é\"");
        assertThat(GoFormat.quote(new byte[] {0x7F, 0x07, 0x0B})).isEqualTo("\"\\x7f\\a\\v\"");
        assertThat(GoFormat.quote("\u200b")).isEqualTo("\"\\u200b\"");
    }

    @Test
    void hexForms() {
        assertThat(GoFormat.hex16(0x390da211f741b91bL)).isEqualTo("390da211f741b91b");
        assertThat(GoFormat.hex16(0x1234)).isEqualTo("0000000000001234");
        assertThat(GoFormat.hexEscaped("hex".getBytes(StandardCharsets.UTF_8))).isEqualTo("\\x68\\x65\\x78");
    }

    @Test
    void simpleGetPutDelTxn() {
        GetResponse get = new GetResponse(H, List.of(FOO), false, 1);
        assertThat(capture(o -> new SimplePrinter(o, System.err, false).get(get))).isEqualTo("foo\nbar\n");
        assertThat(capture(o -> new SimplePrinter(o, System.err, true).get(get))).isEqualTo("\\x66\\x6f\\x6f\n\\x62\\x61\\x72\n");
        assertThat(capture(o -> {
            SimplePrinter p = new SimplePrinter(o, System.err, false);
            p.valueOnly(true);
            p.get(get);
        })).isEqualTo("bar\n");
        assertThat(capture(o -> new SimplePrinter(o, System.err, false).put(new PutResponse(H, Optional.of(FOO)))))
                .isEqualTo("OK\nfoo\nbar\n");
        assertThat(capture(o -> new SimplePrinter(o, System.err, false).del(new DeleteResponse(H, 1, List.of()))))
                .isEqualTo("1\n");
        TxnResponse txn = new TxnResponse(H, true, List.of(new PutResponse(new ResponseHeader(0, 0, 18, 0), Optional.empty()), get));
        assertThat(capture(o -> new SimplePrinter(o, System.err, false).txn(txn))).isEqualTo("SUCCESS\n\nOK\n\nfoo\nbar\n");
    }

    @Test
    void jsonAsEtcdctlPrintsIt() {
        GetResponse get = new GetResponse(H, List.of(FOO), false, 1);
        assertThat(capture(o -> new JsonPrinter(o).get(get))).isEqualTo(
                "{\"header\":{\"cluster_id\":15118495548433857066,\"member_id\":13668033151171901709,\"revision\":2,"
                        + "\"raft_term\":2},\"kvs\":[{\"key\":\"Zm9v\",\"create_revision\":2,\"mod_revision\":2,"
                        + "\"version\":1,\"value\":\"YmFy\"}],\"count\":1}\n");
        TxnResponse txn = new TxnResponse(H, true, List.of(new PutResponse(new ResponseHeader(0, 0, 18, 0), Optional.empty()),
                new DeleteResponse(new ResponseHeader(0, 0, 18, 0), 0, List.of())));
        assertThat(capture(o -> new JsonPrinter(o).txn(txn))).endsWith(
                "\"succeeded\":true,\"responses\":[{\"Response\":{\"ResponsePut\":{\"header\":{\"revision\":18}}}},"
                        + "{\"Response\":{\"ResponseDeleteRange\":{\"header\":{\"revision\":18}}}}]}\n");
        assertThat(capture(o -> new JsonPrinter(o).grant(new LeaseGrantResponse(H, 4111120232905554205L, 100))))
                .isEqualTo("{\"cluster_id\":15118495548433857066,\"member_id\":13668033151171901709,\"revision\":2,"
                        + "\"raft_term\":2,\"ID\":4111120232905554205,\"TTL\":100,\"Error\":\"\"}\n");
        assertThat(capture(o -> new JsonPrinter(o).timeToLive(new LeaseTimeToLiveResponse(H, 7, -1, 0, List.of()), false)))
                .endsWith("\"id\":7,\"ttl\":-1,\"granted-ttl\":0,\"keys\":null}\n");
        assertThat(capture(o -> new JsonPrinter(o).leases(new LeaseListResponse(H, List.of(1L, 2L)))))
                .endsWith("\"leases\":[{\"id\":1},{\"id\":2}]}\n");
        WatchEvent del = new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(Bytes.of("w1"), Bytes.EMPTY, 0, 9, 0, 0),
                Optional.empty());
        assertThat(capture(o -> new JsonPrinter(o).watch(H, List.of(del), 0, false))).endsWith(
                "\"Events\":[{\"type\":1,\"kv\":{\"key\":\"dzE=\",\"mod_revision\":9}}],\"CompactRevision\":0,"
                        + "\"Canceled\":false,\"Created\":false}\n");
    }

    @Test
    void fields() {
        assertThat(capture(o -> new FieldsPrinter(o).get(new GetResponse(H, List.of(), false, 0)))).isEqualTo(
                "\"ClusterID\" : 15118495548433857066\n\"MemberID\" : 13668033151171901709\n\"Revision\" : 2\n"
                        + "\"RaftTerm\" : 2\n\"More\" : false\n\"Count\" : 0\n");
        assertThat(capture(o -> new FieldsPrinter(o).put(new PutResponse(H, Optional.of(FOO))))).contains(
                "\"PrevKey\" : \"foo\"\n\"PrevCreateRevision\" : 2\n\"PrevModRevision\" : 2\n\"PrevVersion\" : 1\n"
                        + "\"PrevValue\" : \"bar\"\n\"PrevLease\" : 0\n");
    }

    @Test
    void goValues() {
        assertThat(GoValues.parseDuration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(GoValues.parseDuration("1m30.5s")).isEqualTo(Duration.ofMillis(90_500));
        assertThat(GoValues.formatDuration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThatThrownBy(() -> GoValues.parseDuration("abc")).hasMessage("time: invalid duration \"abc\"");
        assertThatThrownBy(() -> GoValues.parseDuration("5")).hasMessage("time: missing unit in duration \"5\"");
        assertThatThrownBy(() -> GoValues.parseInt("abc", 10))
                .hasMessage("strconv.ParseInt: parsing \"abc\": invalid syntax");
        assertThatThrownBy(() -> GoValues.parseInt("99999999999999999999", 10))
                .hasMessage("strconv.ParseInt: parsing \"99999999999999999999\": value out of range");
        assertThat(GoValues.parseInt("390da211f741b91b", 16)).isEqualTo(0x390da211f741b91bL);
        assertThat(GoValues.parseBool("T")).isTrue();
        assertThatThrownBy(() -> GoValues.parseBool("xx")).hasMessage("strconv.ParseBool: parsing \"xx\": invalid syntax");
    }

    @Test
    void tabWriterAlignsColumnBlocksLikeGo() {
        String text = "COMMANDS:\n\tgrant\tCreates leases\n\tkeep-alive\tKeeps leases alive (renew)\n\nOPTIONS:\n"
                + "  -h, --help[=false]\thelp for lease\n";
        assertThat(TabWriter.format(text)).isEqualTo("COMMANDS:\n\tgrant\t\tCreates leases\n"
                + "\tkeep-alive\tKeeps leases alive (renew)\n\nOPTIONS:\n  -h, --help[=false]\thelp for lease\n");
    }
}
