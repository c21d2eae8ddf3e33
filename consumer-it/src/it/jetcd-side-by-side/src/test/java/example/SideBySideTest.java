package example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.Watcher;
import dev.etcdj.server.EtcdServer;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** etcdj (client and embedded server) and jetcd 0.8.5 in one JVM, on the application's gRPC and protobuf. */
class SideBySideTest {

    @Test
    void theApplicationKeepsItsOwnGrpcAndProtobuf() throws Exception {
        String protobufJar = com.google.protobuf.Message.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(protobufJar.contains("protobuf-java-3.25.5"), protobufJar);
        String grpcJar = io.grpc.ManagedChannel.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(grpcJar.contains("grpc-api-1.70.0"), grpcJar);
        // protobuf 4's RuntimeVersion (what made etcdj fail next to protobuf 3) is not on this class path.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.google.protobuf.RuntimeVersion"));
    }

    @Test
    void etcdjHasNoGrpcProtobufOrNettyDependency() throws Exception {
        List<String> tree = Files.readAllLines(Path.of("target/dependency-tree.txt"));
        boolean underEtcdj = false;
        for (String line : tree) {
            String artifact = line.replaceAll("^[|+\\\\ -]*", "");
            boolean topLevel = line.startsWith("+- ") || line.startsWith("\\- ");
            if (topLevel) {
                underEtcdj = artifact.startsWith("dev.etcdj:");
            } else if (underEtcdj) {
                assertFalse(artifact.startsWith("io.grpc:") || artifact.startsWith("com.google.protobuf:")
                        || artifact.startsWith("io.netty:"), "etcdj brings " + artifact);
            }
        }
    }

    @Test
    void etcdjAndJetcdTalkToTheEmbeddedServer() throws Exception {
        try (EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            String endpoint = server.endpoint();
            try (EtcdClient etcdj = EtcdClient.builder().endpoints(endpoint).build();
                    Client jetcd = Client.builder().endpoints(endpoint).build()) {

                // Written with etcdj, read with jetcd.
                etcdj.kv().put("/side-by-side/from-etcdj", "written by etcdj").join();
                GetResponse got = jetcd.getKVClient()
                        .get(ByteSequence.from("/side-by-side/from-etcdj", UTF_8)).get(30, TimeUnit.SECONDS);
                assertEquals(1, got.getKvs().size());
                assertEquals("written by etcdj", got.getKvs().get(0).getValue().toString(UTF_8));

                // Written with jetcd, seen in an etcdj watch.
                BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
                long next = etcdj.kv().get("/side-by-side/from-etcdj").join().header().revision() + 1;
                try (Watcher watcher = etcdj.watch().watch("/side-by-side/from-jetcd",
                        response -> events.addAll(response.events()),
                        dev.etcdj.client.Options.revision(next))) {
                    jetcd.getKVClient().put(ByteSequence.from("/side-by-side/from-jetcd", UTF_8),
                            ByteSequence.from("written by jetcd", UTF_8)).get(30, TimeUnit.SECONDS);
                    WatchEvent event = events.poll(30, TimeUnit.SECONDS);
                    assertNotNull(event, "no watch event within 30 s");
                    assertEquals(WatchEvent.Type.PUT, event.type());
                    assertEquals("written by jetcd", event.kv().value().toStringUtf8());
                }
            }
        }
    }
}
