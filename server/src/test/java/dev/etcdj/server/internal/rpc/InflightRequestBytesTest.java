package dev.etcdj.server.internal.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.WatchGrpc;
import dev.etcdj.proto.internal.WireError;
import dev.etcdj.server.EtcdServer;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte accounting of the in-flight budget, driven as grpc-java's deframer drives a stream tracer. */
class InflightRequestBytesTest {
    private static final String PUT = KVGrpc.getPutMethod().getFullMethodName();
    private static final String WATCH = WatchGrpc.getWatchMethod().getFullMethodName();

    private final InflightRequestBytes budget = new InflightRequestBytes(1_000, List.of(
            KVGrpc.bindService(new KVGrpc.KVImplBase() { }), WatchGrpc.bindService(new WatchGrpc.WatchImplBase() { })));

    @Test
    void aChunkBeyondTheBudgetFailsItsStreamWithTooManyRequestsAndFreesWhatItHeld() {
        ServerStreamTracer a = budget.newServerStreamTracer(PUT, new Metadata());
        ServerStreamTracer b = budget.newServerStreamTracer(PUT, new Metadata());
        a.inboundMessage(0);
        a.inboundWireSize(600);
        b.inboundMessage(0);
        b.inboundWireSize(300);
        assertThat(budget.used()).isEqualTo(900);

        assertThatThrownBy(() -> b.inboundWireSize(200)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).isEqualTo(WireError.TOO_MANY_REQUESTS.message());
        });
        assertThat(budget.used()).isEqualTo(600);
        assertThat(budget.refused()).isEqualTo(1);
        b.streamClosed(Status.RESOURCE_EXHAUSTED); // grpc-java closes the failed stream: nothing counted twice
        assertThat(budget.used()).isEqualTo(600);
    }

    @Test
    void aUnaryCallKeepsItsBytesUntilItEnds() {
        ServerStreamTracer put = budget.newServerStreamTracer(PUT, new Metadata());
        put.inboundMessage(0);
        put.inboundWireSize(400);
        put.inboundMessage(1); // a second header on a unary call (an error answered later): still counted
        assertThat(budget.used()).isEqualTo(400);
        put.streamClosed(Status.OK);
        assertThat(budget.used()).isZero();
    }

    @Test
    void aStreamReleasesAMessageWhenTheOneAfterTheNextStarts() {
        ServerStreamTracer watch = budget.newServerStreamTracer(WATCH, new Metadata());
        for (int i = 0; i < 100; i++) { // 100 x 100 bytes on one stream, never more than two counted
            watch.inboundMessage(i);
            watch.inboundWireSize(100);
            assertThat(budget.used()).isLessThanOrEqualTo(200);
        }
        watch.streamClosed(Status.CANCELLED);
        assertThat(budget.used()).isZero();
    }

    @Test
    void theDefaultHoldsTwoOfTheLargestMessagesAndAPropertyBelowThatIsRefused() {
        assertThat(InflightRequestBytes.resolve(0, 4 << 20)).isGreaterThanOrEqualTo(8 << 20);
        assertThat(InflightRequestBytes.resolve(123_456_789, 4 << 20)).isEqualTo(123_456_789);
        System.setProperty(InflightRequestBytes.PROPERTY, "1000");
        try {
            assertThatThrownBy(() -> InflightRequestBytes.resolve(0, 4 << 20)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(InflightRequestBytes.PROPERTY);
        } finally {
            System.clearProperty(InflightRequestBytes.PROPERTY);
        }
        assertThatThrownBy(() -> EtcdServer.builder().inMemory().maxRequestBytesInFlight(1 << 20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max request bytes in flight");
    }
}
