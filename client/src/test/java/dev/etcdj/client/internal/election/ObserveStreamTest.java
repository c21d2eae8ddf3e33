package dev.etcdj.client.internal.election;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.ElectionListener;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.LeaderResponse;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.client.internal.stream.FakeTransport;
import dev.etcdj.client.internal.stream.FakeTransport.FakeCall;
import dev.etcdj.proto.mvccpb.KeyValue;
import dev.etcdj.proto.v3electionpb.LeaderRequest;
import io.grpc.Status;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An election observation on its resilient stream, on a transport without a network. */
class ObserveStreamTest {

    final FakeTransport transport = new FakeTransport(2);
    final BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    final ObserveStream observation = new ObserveStream(transport, Bytes.of("e"), new ElectionListener() {
        @Override
        public void onLeader(LeaderResponse leader) {
            heard.add("leader " + leader.kv().key().toStringUtf8() + "@" + leader.kv().modRevision());
        }

        @Override
        public void onError(EtcdException error) {
            heard.add("error " + error.getClass().getSimpleName());
        }

        @Override
        public void onClosed() {
            heard.add("closed");
        }
    });

    @AfterEach
    void stop() {
        observation.close();
        transport.close();
    }

    static dev.etcdj.proto.v3electionpb.LeaderResponse leader(String key, long modRevision) {
        return dev.etcdj.proto.v3electionpb.LeaderResponse.newBuilder()
                .setKv(KeyValue.newBuilder().setKey(ByteString.copyFromUtf8(key)).setModRevision(modRevision))
                .build();
    }

    String next() throws InterruptedException {
        String e = heard.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("something heard within 5 s").isNotNull();
        return e;
    }

    @Test
    void eachStreamAsksOnceForTheNameAndAResumedOneNeitherRepeatsNorLosesALeader() throws Exception {
        observation.open();
        FakeCall first = transport.nextCall();
        assertThat(first.sent.poll(5, TimeUnit.SECONDS))
                .isEqualTo(LeaderRequest.newBuilder().setName(ByteString.copyFromUtf8("e")).build());
        assertThat(first.halfClosed).as("the one request of a server stream").isTrue();
        first.answer(leader("e/1", 5));
        assertThat(next()).isEqualTo("leader e/1@5");

        first.close(Status.UNAVAILABLE.withDescription("io exception"));
        FakeCall second = transport.nextCall();
        assertThat(second.sent.poll(5, TimeUnit.SECONDS)).as("asked again").isNotNull();
        second.answer(leader("e/1", 5));   // a new stream starts with the current leader
        second.answer(leader("e/2", 7));
        assertThat(next()).as("the repeated leader is not told again").isEqualTo("leader e/2@7");
        assertThat(transport.streamEvents)
                .containsExactly("streamOpened observe", "streamBroken observe", "streamResumed observe");

        observation.close();
        assertThat(next()).isEqualTo("closed");
        assertThat(observation.terminated()).succeedsWithin(5, TimeUnit.SECONDS);
        assertThat(second.cancelled.get(5, TimeUnit.SECONDS)).isEqualTo("observation closed");
    }

    @Test
    void aPermanentFailureEndsTheObservationWithItsError() throws Exception {
        observation.open();
        transport.nextCall().close(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied"));
        assertThat(next()).isEqualTo("error " + PermissionDeniedException.class.getSimpleName());
        assertThat(observation.terminated()).succeedsWithin(5, TimeUnit.SECONDS);
        assertThat(transport.callOpenedWithin(200)).as("not reopened").isFalse();
        observation.close();
        assertThat(heard.poll(200, TimeUnit.MILLISECONDS)).as("ended once").isNull();
    }

    @Test
    void anObservationOfAClosedClientEndsClosed() throws Exception {
        transport.closeTransport();
        observation.open();
        assertThat(next()).isEqualTo("closed");
        assertThat(transport.callOpenedWithin(100)).isFalse();
    }
}
