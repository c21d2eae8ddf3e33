package dev.etcdj.examples;

import static dev.etcdj.client.Options.*;

import dev.etcdj.client.*;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Watch: events of one key (the example makes the put it then sees). */
public final class WatchKey implements Example {

    @Override
    public void run(EtcdClient client, PrintStream out) throws Exception {
        watchThenPut(client, out, "foo");
    }

    /** Watches "foo" with {@code options}, puts {@code key}, and prints the event the watch sees. */
    static void watchThenPut(EtcdClient client, PrintStream out, String key, WatchOption... options) throws Exception {
        CompletableFuture<WatchEvent> first = new CompletableFuture<>();
        try (Watcher w = client.watch().watch("foo", r -> r.events().forEach(first::complete), options)) {
            w.created().get(10, TimeUnit.SECONDS); // the server now sees every later write in its range
            client.kv().put(key, "bar").join();
            WatchEvent ev = first.get(10, TimeUnit.SECONDS);
            out.println(ev.type() + " " + quote(ev.kv().key()) + " : " + quote(ev.kv().value()));
        }
    }

    /** Go's %q of the bytes. */
    static String quote(Bytes b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b.unsafeArray()) {
            int c = x & 0xFF;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        Example.main(new WatchKey(), args);
    }
}
