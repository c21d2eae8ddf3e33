package dev.etcdj.server.internal.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * go-grpc-prometheus's server families (the ones etcd registers): started, handled (by code), and
 * stream messages received and sent, labelled {@code grpc_type grpc_service grpc_method [grpc_code]}.
 * Label lookups happen once per method; a call only increments prepared data points.
 */
public final class GrpcMetrics implements ServerInterceptor {
    private static final String[] LABELS = {"grpc_type", "grpc_service", "grpc_method"};
    private static final Status.Code[] CODES = Status.Code.values();

    private final Counter started;
    private final Counter handled;
    private final Counter received;
    private final Counter sent;
    private final MvccCounts mvcc;
    private final ConcurrentMap<String, MethodPoints> methods = new ConcurrentHashMap<>();

    GrpcMetrics(PrometheusRegistry registry, MvccCounts mvcc) {
        this.mvcc = mvcc;
        started = Counter.builder().name("grpc_server_started_total")
                .help("Total number of RPCs started on the server.").labelNames(LABELS).register(registry);
        handled = Counter.builder().name("grpc_server_handled_total")
                .help("Total number of RPCs completed on the server, regardless of success or failure.")
                .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code").register(registry);
        received = Counter.builder().name("grpc_server_msg_received_total")
                .help("Total number of RPC stream messages received on the server.").labelNames(LABELS)
                .register(registry);
        sent = Counter.builder().name("grpc_server_msg_sent_total")
                .help("Total number of gRPC stream messages sent by the server.").labelNames(LABELS)
                .register(registry);
    }

    /** Shows every method of the service at 0, as go-grpc-prometheus's InitializeMetrics does. */
    public void initialize(ServerServiceDefinition service) {
        for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
            points(m.getMethodDescriptor());
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        MethodPoints p = points(call.getMethodDescriptor());
        p.started.inc();
        boolean kv = MvccCounts.counts(call.getMethodDescriptor());
        Object[] lastRequest = new Object[1];
        ServerCall<Q, R> counted = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
                p.sent.inc();
                if (kv) {
                    mvcc.count(lastRequest[0], message);
                }
                super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                p.handled[status.getCode().ordinal()].inc();
                super.close(status, trailers);
            }
        };
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(counted, headers)) {
            @Override
            public void onMessage(Q message) {
                p.received.inc();
                if (kv) {
                    lastRequest[0] = message;
                }
                super.onMessage(message);
            }
        };
    }

    private MethodPoints points(MethodDescriptor<?, ?> method) {
        return methods.computeIfAbsent(method.getFullMethodName(), n -> new MethodPoints(method));
    }

    private final class MethodPoints {
        final CounterDataPoint started;
        final CounterDataPoint received;
        final CounterDataPoint sent;
        final CounterDataPoint[] handled = new CounterDataPoint[CODES.length];

        MethodPoints(MethodDescriptor<?, ?> m) {
            String type = switch (m.getType()) {
                case UNARY -> "unary";
                case CLIENT_STREAMING -> "client_stream";
                case SERVER_STREAMING -> "server_stream";
                default -> "bidi_stream";
            };
            String service = m.getServiceName();
            String method = m.getBareMethodName();
            started = GrpcMetrics.this.started.labelValues(type, service, method);
            received = GrpcMetrics.this.received.labelValues(type, service, method);
            sent = GrpcMetrics.this.sent.labelValues(type, service, method);
            for (Status.Code c : CODES) {
                handled[c.ordinal()] = GrpcMetrics.this.handled.labelValues(type, service, method, goName(c));
            }
        }
    }

    /** grpc-go's names for the codes: CamelCase, with "OK" kept as is. */
    static String goName(Status.Code code) {
        if (code == Status.Code.OK) {
            return "OK";
        }
        StringBuilder b = new StringBuilder();
        for (String part : code.name().split("_")) {
            b.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }
}
