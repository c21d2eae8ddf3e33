/**
 * Test harness for etcdj. For application tests: {@link dev.etcdj.testing.EtcdTest} gives a JUnit 5
 * class an etcd (the embedded server in memory, or a real etcd binary) and injects a client, the
 * endpoint or the server handle ({@link dev.etcdj.testing.EtcdExtension}). Underneath: real etcd processes and clusters on free loopback ports
 * ({@link dev.etcdj.testing.EtcdProcess}, {@link dev.etcdj.testing.EtcdCluster}), a TCP
 * {@link dev.etcdj.testing.FaultProxy} for dropped connections and partitions, and the JUnit 5
 * {@link dev.etcdj.testing.EtcdTargetExtension} that runs one contract test class against any
 * {@link dev.etcdj.testing.EtcdTarget}, and {@link dev.etcdj.testing.Await} to poll for a condition
 * with a deadline instead of sleeping.
 *
 * <p>Every process started here dies with the JVM (shutdown hook, and a parent-death signal for
 * a JVM that is killed outright); every temp dir is removed on close or at JVM exit.
 */
package dev.etcdj.testing;
