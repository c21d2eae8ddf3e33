package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.output.GoFormat;
import dev.etcdj.cli.output.TablePrinter;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.client.ResponseHeader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Go formatting the admin output reproduces: go-humanize sizes, Duration.String, tablewriter tables. */
class AdminFormatTest {

    @Test
    void humanBytesRoundsAsGoHumanize() {
        assertThat(GoFormat.humanBytes(9)).isEqualTo("9 B");
        assertThat(GoFormat.humanBytes(999)).isEqualTo("999 B");
        assertThat(GoFormat.humanBytes(1500)).isEqualTo("1.5 kB");
        assertThat(GoFormat.humanBytes(20480)).isEqualTo("20 kB");
        // 20.5 rounds half to even under Go's %.0f.
        assertThat(GoFormat.humanBytes(20500)).isEqualTo("20 kB");
        assertThat(GoFormat.humanBytes(2_100_000)).isEqualTo("2.1 MB");
    }

    @Test
    void goDurationMatchesDurationString() {
        assertThat(GoFormat.goDuration(999)).isEqualTo("999ns");
        assertThat(GoFormat.goDuration(737_200)).isEqualTo("737.2µs");
        assertThat(GoFormat.goDuration(1_079_873)).isEqualTo("1.079873ms");
        assertThat(GoFormat.goDuration(2_500_000_000L)).isEqualTo("2.5s");
        assertThat(GoFormat.goDuration(61_000_000_000L)).isEqualTo("1m1s");
        assertThat(GoFormat.goDuration(3_661_500_000_000L)).isEqualTo("1h1m1.5s");
    }

    @Test
    void prefixEndIncrementsTheLastByteBelowFf() {
        assertThat(GoFormat.prefixEnd("a".getBytes(StandardCharsets.UTF_8))).containsExactly('b');
        assertThat(GoFormat.prefixEnd(new byte[] {'a', (byte) 0xff})).containsExactly('b');
        assertThat(GoFormat.prefixEnd(new byte[] {(byte) 0xff})).containsExactly(0);
    }

    @Test
    void memberTableIsTablewritersLayout() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TablePrinter p = new TablePrinter(new PrintStream(out, true, StandardCharsets.UTF_8));
        p.memberList(new MemberListResponse(new ResponseHeader(1, 2, 0, 2),
                List.of(new Member(0xbdae9bbc11dd390dL, "default", List.of("http://127.0.0.1:23801"),
                        List.of("http://127.0.0.1:23791"), false))));
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("""
                +------------------+---------+---------+------------------------+------------------------+------------+
                |        ID        | STATUS  |  NAME   |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |
                +------------------+---------+---------+------------------------+------------------------+------------+
                | bdae9bbc11dd390d | started | default | http://127.0.0.1:23801 | http://127.0.0.1:23791 |      false |
                +------------------+---------+---------+------------------------+------------------------+------------+
                """);
    }
}
