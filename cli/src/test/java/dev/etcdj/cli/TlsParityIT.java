package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.FreePorts;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS flags against a real etcd serving https with client certificate auth: a CA, a server and a
 * client certificate (and a second, unrelated CA) made at test time with the JDK's keytool, keys
 * written as PKCS#8 PEM. Every step runs through etcdctl and then etcdj against the same server.
 */
class TlsParityIT {

    private static final String PW = "changeit";
    private static Path dir;
    private static Process etcd;
    private static String hostPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("etcdj-tls-it");
        ca("ca");
        ca("otherca");
        signed("server", "ca", "san=ip:127.0.0.1,dns:localhost", "eku=serverAuth,clientAuth");
        signed("client", "ca", "san=dns:client", "eku=clientAuth");
        int client = FreePorts.next();
        int peer = FreePorts.next();
        hostPort = "127.0.0.1:" + client;
        etcd = new ProcessBuilder("/usr/bin/etcd", "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", "https://" + hostPort, "--advertise-client-urls", "https://" + hostPort,
                "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "default=http://127.0.0.1:" + peer,
                "--cert-file", file("server.crt"), "--key-file", file("server.key"),
                "--trusted-ca-file", file("ca.crt"), "--client-cert-auth")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            try (Socket s = new Socket("127.0.0.1", client)) {
                break;
            } catch (IOException e) {
                if (!etcd.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("etcd did not start: " + Files.readString(dir.resolve("etcd.log")));
                }
                Thread.sleep(50); // nothing to wait on but the port
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (etcd != null) {
            etcd.destroy();
            etcd.waitFor();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void tlsFlagsMatchEtcdctl() throws Exception {
        List<String> mutual = List.of("--cacert", file("ca.crt"), "--cert", file("client.crt"), "--key", file("client.key"));
        List<String> quick = List.of("--dial-timeout", "1s", "--command-timeout", "2s");
        List<List<String>> globals = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        add(globals, steps, concat(List.of("--endpoints", "https://" + hostPort), mutual), "put", "foo", "bar");
        add(globals, steps, concat(List.of("--endpoints", "https://" + hostPort), mutual), "get", "foo");
        add(globals, steps, concat(List.of("--endpoints", "https://" + hostPort), mutual), "get", "foo", "-w", "json");
        add(globals, steps, concat(List.of("--endpoints", hostPort), mutual), "get", "foo");
        add(globals, steps, concat(List.of("--endpoints", hostPort), mutual), "member", "list", "-w", "table");
        add(globals, steps, concat(List.of("--endpoints", hostPort), mutual), "endpoint", "health", "--cluster");
        add(globals, steps, concat(List.of("--endpoints", hostPort, "--insecure-skip-tls-verify", "--cert",
                file("client.crt"), "--key", file("client.key")), List.of()), "get", "foo");
        add(globals, steps, concat(List.of("--endpoints", hostPort, "--cacert", file("otherca.crt"), "--cert",
                file("client.crt"), "--key", file("client.key")), quick), "get", "foo");
        add(globals, steps, concat(List.of("--endpoints", hostPort), quick), "get", "foo");
        add(globals, steps, concat(List.of("--endpoints", hostPort, "--cacert", file("ca.crt")), quick), "get", "foo");
        add(globals, steps, List.of("--endpoints", hostPort, "--cacert", ""), "get", "foo");
        for (int i = 0; i < steps.size(); i++) {
            Result expected = AdminRunner.etcdctl(globals.get(i), steps.get(i));
            Result actual = AdminRunner.etcdj(globals.get(i), steps.get(i));
            assertThat(took(actual)).as("etcdj %s %s", globals.get(i), String.join(" ", steps.get(i).args()))
                    .isEqualTo(took(expected));
        }
    }

    private static Result took(Result r) {
        return new Result(AdminRunner.normaliseTook(r.out()), AdminRunner.normaliseTook(r.err()), r.code());
    }

    private static void add(List<List<String>> globals, List<Step> steps, List<String> global, String... args) {
        globals.add(global);
        steps.add(Step.of(args));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    /** A self-signed CA: name.p12 and name.crt. */
    private static void ca(String name) throws Exception {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=etcdj-test-" + name,
                "-ext", "bc:c", "-validity", "2", "-keystore", file(name + ".p12"), "-storetype", "PKCS12",
                "-storepass", PW, "-keypass", PW);
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", file(name + ".p12"), "-storepass", PW,
                "-file", file(name + ".crt"));
    }

    /** A key pair signed by the CA: name.crt (PEM) and name.key (PKCS#8 PEM). */
    private static void signed(String name, String ca, String san, String eku) throws Exception {
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-keystore", file(name + ".p12"), "-storetype", "PKCS12", "-storepass", PW, "-keypass", PW);
        keytool("-certreq", "-alias", name, "-keystore", file(name + ".p12"), "-storepass", PW, "-file", file(name + ".csr"));
        keytool("-gencert", "-alias", ca, "-keystore", file(ca + ".p12"), "-storepass", PW, "-infile", file(name + ".csr"),
                "-outfile", file(name + ".crt"), "-rfc", "-validity", "2", "-ext", san, "-ext", eku,
                "-ext", "ku=digitalSignature,keyEncipherment");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file(name + ".p12"))) {
            ks.load(in, PW.toCharArray());
        }
        Key key = ks.getKey(name, PW.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(dir.resolve(name + ".key"), pem);
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + cmd + "\n" + out);
        }
    }
}
