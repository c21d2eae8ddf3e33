package dev.etcdj.cli.serve.log;

import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * etcd 3.4's default {@code --logger capnslog} lines: {@code 2006-01-02 15:04:05.000000 I | pkg: message}.
 * capnslog has no fields, so an entry's fields follow the message as {@code key=value}.
 */
public final class Capnslog implements LogSink.Format {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Override
    public String line(LogSink.Entry e) {
        StringBuilder sb = new StringBuilder(96);
        sb.append(TS.format(e.time())).append(' ').append(e.level().capnsLetter).append(" | ")
                .append(e.pkg()).append(": ").append(e.msg());
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            sb.append(' ').append(f.getKey()).append('=');
            StringBuilder v = new StringBuilder();
            ZapJson.value(v, f.getValue());
            sb.append(v);
        }
        return sb.toString();
    }
}
