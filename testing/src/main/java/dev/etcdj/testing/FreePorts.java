package dev.etcdj.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out free TCP ports on 127.0.0.1.
 *
 * <p>The kernel picks a free port (bind to port 0), we release it and remember it, so that no
 * two callers in this JVM ever get the same port even if the first has not bound it yet. Another
 * process can still grab the port between release and use; {@link EtcdProcess} and
 * {@link EtcdCluster} retry a first start on fresh ports when that happens.
 */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** One free loopback port never returned before by this JVM. */
    public static synchronized int next() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = probe();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no fresh free loopback port after 100 attempts");
    }

    /** {@code count} distinct free loopback ports. */
    public static synchronized int[] next(int count) {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = next();
        }
        return ports;
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket()) {
            // Without SO_REUSEADDR a port we just probed is not left in a state that blocks etcd.
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback port", e);
        }
    }
}
