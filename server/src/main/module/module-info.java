/**
 * The embeddable etcd server. Only {@code dev.etcdj.server} is exported; the gRPC, protobuf and
 * Netty it carries are relocated under {@code dev.etcdj.server.internal.shaded} (a prefix of its
 * own, so the client's and the server's copies never split a package). RocksDB and Bouncy
 * Castle (a signed jar) stay plain dependencies. The {@code uses}/{@code provides} pairs are the relocated gRPC's service providers.
 */
module dev.etcdj.server {
    requires java.logging;      // gRPC and Netty log through java.util.logging
    requires jdk.unsupported;   // sun.misc.Unsafe: protobuf's and Netty's fast paths
    requires java.management;   // JVM metrics
    requires java.naming;       // client certificate names (LdapName)
    requires rocksdbjni;        // the storage engine (an automatic module)
    requires org.bouncycastle.provider; // bcrypt password hashes (a signed jar: plain, never relocated)
    requires org.slf4j;         // logging facade: the embedding application picks the backend
    requires io.prometheus.metrics.core;                // /metrics (automatic modules)
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires io.prometheus.metrics.instrumentation.jvm;

    exports dev.etcdj.server;

    uses dev.etcdj.server.internal.shaded.io.grpc.ManagedChannelProvider;
    uses dev.etcdj.server.internal.shaded.io.grpc.ServerProvider;
    uses dev.etcdj.server.internal.shaded.io.grpc.NameResolverProvider;
    uses dev.etcdj.server.internal.shaded.io.grpc.LoadBalancerProvider;

    provides dev.etcdj.server.internal.shaded.io.grpc.ManagedChannelProvider with
            dev.etcdj.server.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyChannelProvider,
            dev.etcdj.server.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.UdsNettyChannelProvider;
    provides dev.etcdj.server.internal.shaded.io.grpc.ServerProvider with
            dev.etcdj.server.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.NettyServerProvider;
    provides dev.etcdj.server.internal.shaded.io.grpc.NameResolverProvider with
            dev.etcdj.server.internal.shaded.io.grpc.netty.shaded.io.grpc.netty.UdsNameResolverProvider,
            dev.etcdj.server.internal.shaded.io.grpc.internal.DnsNameResolverProvider;
    provides dev.etcdj.server.internal.shaded.io.grpc.LoadBalancerProvider with
            dev.etcdj.server.internal.shaded.io.grpc.util.SecretRoundRobinLoadBalancerProvider.Provider,
            dev.etcdj.server.internal.shaded.io.grpc.util.OutlierDetectionLoadBalancerProvider,
            dev.etcdj.server.internal.shaded.io.grpc.util.RandomSubsettingLoadBalancerProvider,
            dev.etcdj.server.internal.shaded.io.grpc.internal.PickFirstLoadBalancerProvider,
            dev.etcdj.server.internal.shaded.io.grpc.protobuf.services.internal.HealthCheckingRoundRobinLoadBalancerProvider;
}
