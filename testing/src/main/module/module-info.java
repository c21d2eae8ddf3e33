/**
 * etcdj testing: the JUnit 5 extension that gives a test an etcd (the embedded server, or a real
 * etcd binary), plus the process launchers, fault proxy and helpers behind it.
 */
module dev.etcdj.testing {
    requires transitive dev.etcdj.client;
    requires transitive dev.etcdj.server;
    requires transitive org.junit.jupiter.api;
    requires java.net.http;

    exports dev.etcdj.testing;
    exports dev.etcdj.testing.linearizability;
    exports dev.etcdj.testing.dns;
}
