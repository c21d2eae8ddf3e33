package dev.etcdj.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.serve.log.Capnslog;
import dev.etcdj.cli.serve.log.LogSink;
import dev.etcdj.cli.serve.log.ZapJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The CLI's SLF4J backend writes etcd's zap JSON lines (level, ts, caller, msg, then the fields) and capnslog lines. */
class ServeLoggingTest {

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    @AfterEach
    void reset() {
        LogSink.configure(LogSink.Level.WARN, new ZapJson(), List.of(System.err));
    }

    @Test
    void zapLinesCarryFluentKeyValuesAsFields() {
        LogSink.configure(LogSink.Level.INFO, new ZapJson(), List.of(out));
        Logger log = LoggerFactory.getLogger("dev.etcdj.server.internal.rpc.GrpcListeners");
        log.atInfo().addKeyValue("address", "127.0.0.1:2379").log("serving client traffic insecurely; this is strongly discouraged!");
        log.atInfo().addKeyValue("urls", List.of("http://a:1", "http://b:2")).addKeyValue("n", 3L)
                .addKeyValue("on", true).addKeyValue("took", Duration.ofMillis(1500)).log("with {} fields", 4);
        log.debug("not written at info");
        log.warn("failed", new IllegalStateException("boom \"quoted\""));
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).matches("\\{\"level\":\"info\",\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d{4})\","
                + "\"caller\":\"serve/ServeLoggingTest\\.java:\\d+\",\"msg\":\"serving client traffic insecurely; this is strongly discouraged!\","
                + "\"address\":\"127\\.0\\.0\\.1:2379\"\\}");
        assertThat(lines[1]).endsWith("\"msg\":\"with 4 fields\",\"urls\":[\"http://a:1\",\"http://b:2\"],\"n\":3,\"on\":true,\"took\":\"1.5s\"}");
        assertThat(lines[2]).startsWith("{\"level\":\"warn\",").endsWith("\"msg\":\"failed\",\"error\":\"boom \\\"quoted\\\"\"}");
    }

    @Test
    void levelAndFormatFollowTheFlags() {
        LogSink.configure(LogSink.Level.ERROR, new ZapJson(), List.of(out));
        Logger log = LoggerFactory.getLogger("x.embed.Serve");
        log.warn("dropped");
        log.error("kept");
        assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContain("dropped").contains("\"level\":\"error\"");
        buf.reset();
        LogSink.configure(LogSink.Level.INFO, new Capnslog(), List.of(out));
        log.atInfo().addKeyValue("address", "127.0.0.1:2379").log("ready to serve client requests");
        assertThat(buf.toString(StandardCharsets.UTF_8))
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6} I \\| embed: ready to serve client requests address=\"127.0.0.1:2379\"\n");
    }

    @Test
    void goDurations() {
        assertThat(dev.etcdj.cli.serve.log.GoDuration.format(Duration.ofHours(2))).isEqualTo("2h0m0s");
        assertThat(dev.etcdj.cli.serve.log.GoDuration.format(Duration.ofMinutes(10))).isEqualTo("10m0s");
        assertThat(dev.etcdj.cli.serve.log.GoDuration.format(Duration.ofMillis(100))).isEqualTo("100ms");
        assertThat(dev.etcdj.cli.serve.log.GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    }
}
