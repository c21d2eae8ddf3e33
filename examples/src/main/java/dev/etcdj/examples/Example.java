package dev.etcdj.examples;

import dev.etcdj.client.EtcdClient;
import java.io.PrintStream;
import java.time.Duration;

/** One of clientv3's documented examples, as a Java program printing what the Go example prints. */
public interface Example {

    /** Go's examples use 1 s; the first call of a cold JVM also sets up the connection, so allow more. */
    Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    void run(EtcdClient client, PrintStream out) throws Exception;

    /** Runs the example against the endpoints given as arguments (default 127.0.0.1:2379). */
    static void main(Example example, String[] args) throws Exception {
        String[] endpoints = args.length > 0 ? args : new String[] {"127.0.0.1:2379"};
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoints).dialTimeout(Duration.ofSeconds(5)).build()) {
            example.run(client, System.out);
        }
    }
}
