package dev.etcdj.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real etcdctl's auth commands against our server and against a real etcd 3.4 with the same
 * script; the transcripts (stdout + stderr) must be equal after masking ids, ports, timestamps.
 * Also runs etcdctl lock (two contenders) and elect (two candidates and an observer) on ours.
 */
class AuthEtcdctlIT {

    private static final List<String> SCRIPT = List.of(
            "auth enable",
            "user add root:pw",
            "role add root",
            "user grant-role root root",
            "role add r1",
            "role grant-permission r1 read k/ k0",
            "role grant-permission r1 readwrite --prefix p/",
            "role grant-permission r1 write w",
            "role grant-permission r1 write w",
            "role get r1",
            "user add u1:p1",
            "user grant-role u1 r1",
            "user get u1",
            "user get --detail u1",
            "user list",
            "role list",
            "put foo before",
            "auth enable",
            "auth enable",
            "get foo",
            "put foo x",
            "--user root:pw get foo",
            "--user root:pw put foo bar",
            "--user root:bad get foo",
            "--user nobody:x get foo",
            "--user u1:p1 get foo",
            "--user u1:p1 get k/a",
            "--user u1:p1 put p/a 1",
            "--user u1:p1 put p/a 2 --prev-kv",
            "--user u1:p1 put w 2",
            "--user u1:p1 put w 2 --prev-kv",
            "--user u1:p1 get k l",
            "--user u1:p1 get k/ k0",
            "--user u1:p1 get p/ --prefix",
            "--user u1:p1 del p/a",
            "--user u1:p1 user list",
            "--user u1:p1 user get u1",
            "--user u1:p1 user get root",
            "--user u1:p1 role get r1",
            "--user u1:p1 role get root",
            "--user u1:p1 lease grant 100",
            "lease grant 100",
            "--user u1:p1 endpoint hashkv",
            "--user u1:p1 defrag",
            "--user u1:p1 member list",
            "--user u1:p1 alarm list",
            "--user u1:p1 watch foo",
            "--user root:pw user delete root",
            "--user root:pw role delete root",
            "--user root:pw user revoke-role root root",
            "--user root:pw user add u1:x",
            "--user root:pw role add r1",
            "--user root:pw user grant-role u1 nope",
            "--user root:pw user revoke-role u1 nope",
            "--user root:pw role revoke-permission r1 zz",
            "--user root:pw role revoke-permission r1 w",
            "--user root:pw role delete nope",
            "--user root:pw user delete nope",
            "--user root:pw user get nope",
            "--user root:pw role get r1",
            "--user root:pw auth disable",
            "user list",
            "get foo",
            "--user root:pw get foo",
            "auth disable",
            "role delete r1",
            "user get u1",
            "user delete root",
            "auth enable");

    private static String transcript(String endpoint) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String line : SCRIPT) {
            out.append("$ etcdctl ").append(line).append('\n').append(Etcdctl.run(endpoint, line));
        }
        return normalize(out.toString(), endpoint);
    }

    static String normalize(String s, String endpoint) {
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        return s.replace(port, "PORT")
                .replaceAll("\"ts\":(\"[^\"]*\"|[0-9.]+)", "\"ts\":T")
                .replaceAll("client-[0-9a-f-]+", "client-UUID")
                // Member IDs print as unpadded %x: one in 16 has a leading zero nibble and 15 digits.
                .replaceAll("\\b[0-9a-f]{12,16}\\b", "HEXID")
                .replaceAll("http://127\\.0\\.0\\.1:\\d+", "http://127.0.0.1:N")
                .replaceAll("http://localhost:\\d+", "http://127.0.0.1:N");
    }

    /** A real etcd on free loopback ports in a temp dir; fails if it exits (e.g. a port race). */
    static final class RealEtcd implements AutoCloseable {
        final Path dir;
        final Process process;
        final String endpoint;

        RealEtcd() throws Exception {
            dir = Files.createTempDirectory("etcdj-real-etcd-");
            int client = dev.etcdj.server.RealEtcd.freePort();
            int peer = dev.etcdj.server.RealEtcd.freePort();
            endpoint = "http://127.0.0.1:" + client;
            process = new ProcessBuilder(dev.etcdj.server.RealEtcd.ETCD.toString(),
                    "--data-dir", dir.resolve("d").toString(),
                    "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
                    "--listen-peer-urls", "http://127.0.0.1:" + peer,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                    "--initial-cluster", "default=http://127.0.0.1:" + peer)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            ServerTestBase.await(Duration.ofSeconds(30), "real etcd healthy, see " + dir.resolve("log"), () -> {
                assertThat(process.isAlive()).as("real etcd exited, see " + dir.resolve("log")).isTrue();
                return Etcdctl.run(endpoint, "endpoint health").contains("is healthy");
            });
            // the endpoint must be ours: a foreign etcd on a reused port would have other members
            assertThat(Etcdctl.run(endpoint, "member list")).contains("http://127.0.0.1:" + peer);
        }

        @Override
        public void close() throws InterruptedException {
            dev.etcdj.server.RealEtcd.stop(process, dir); // the shared helper, not this nested class
        }
    }

    @Test
    void authCommandsBehaveAsWithRealEtcd() throws Exception {
        Etcdctl.requireInstalled();
        String ours = dev.etcdj.server.RealEtcd.onOurServer(AuthEtcdctlIT::transcript);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "etcdctl-auth-transcript-etcdj.txt"), ours);
        String plain = ours.replaceAll("\\{\"level\":\"warn\"[^\n]*\n", "");
        assertThat(plain).contains("$ etcdctl --user u1:p1 get foo\nError: etcdserver: permission denied\n")
                .contains("$ etcdctl --user root:bad get foo\n"
                        + "Error: etcdserver: authentication failed, invalid user ID or password\n")
                .contains("$ etcdctl get foo\nError: etcdserver: user name is empty\n")
                .contains("$ etcdctl --user root:pw get foo\nfoo\nbefore\n")
                .contains("$ etcdctl --user u1:p1 get k/ k0\n$ etcdctl")
                .contains("$ etcdctl --user root:pw auth disable\nAuthentication Disabled\n");
        assertTrue(Files.isExecutable(dev.etcdj.server.RealEtcd.ETCD), "real etcd not installed: compared nothing");
        String real;
        try (RealEtcd etcd = new RealEtcd()) {
            real = transcript(etcd.endpoint);
        }
        Files.writeString(Path.of("target", "etcdctl-auth-transcript-etcd.txt"), real);
        assertThat(ours).isEqualTo(real);
    }
}
