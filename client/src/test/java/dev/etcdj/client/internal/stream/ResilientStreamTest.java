package dev.etcdj.client.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.client.internal.stream.FakeTransport.FakeCall;
import dev.etcdj.proto.etcdserverpb.LeaseGrpc;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveRequest;
import dev.etcdj.proto.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The stream lifecycle alone, on a transport without a network: every step driven by hand. */
class ResilientStreamTest {

    static final long FIRST_ANSWER_MILLIS = 200;
    static final LeaseKeepAliveRequest PING = LeaseKeepAliveRequest.newBuilder().setID(1).build();

    final Object lock = new Object();
    final FakeTransport transport = new FakeTransport(2);
    final Recorder handler = new Recorder();
    ResilientStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse> stream = stream(false);

    ResilientStream<LeaseKeepAliveRequest, LeaseKeepAliveResponse> stream(boolean manualFlowControl) {
        return new ResilientStream<>("test", transport, LeaseGrpc.getLeaseKeepAliveMethod(), lock,
                manualFlowControl ? 1 : 0,
                TimeUnit.MILLISECONDS.toNanos(FIRST_ANSWER_MILLIS), handler);
    }

    @AfterEach
    void close() {
        stream.stop("test over");
        transport.close();
    }

    static LeaseKeepAliveResponse answer(long ttl) {
        return LeaseKeepAliveResponse.newBuilder().setID(1).setTTL(ttl).build();
    }

    /** Records what the stream tells its owner, checking the lock is held where it must be. */
    final class Recorder implements ResilientStream.Handler<LeaseKeepAliveResponse> {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final BlockingQueue<EtcdException> errors = new LinkedBlockingQueue<>();
        volatile boolean wanted = true;
        volatile Runnable afterReceived;
        volatile boolean lockHeldWrongly;

        @Override
        public boolean wanted() {
            checkLocked(true);
            return wanted;
        }

        @Override
        public void opened() {
            locked(true, "opened");
            stream.send(PING);
        }

        @Override
        public Runnable received(LeaseKeepAliveResponse message) {
            locked(true, "received " + message.getTTL());
            return afterReceived;
        }

        @Override
        public void interrupted(EtcdException error) {
            locked(true, "interrupted");
            errors.add(error);
        }

        @Override
        public Runnable failed(EtcdException error) {
            locked(true, "failed");
            errors.add(error);
            return () -> events.add(Thread.holdsLock(lock) ? "after failed, locked" : "after failed");
        }

        @Override
        public void clientClosed() {
            locked(false, "clientClosed");
        }

        /** Notes whether the lock is held as it should be ({@code held}), then the event. */
        private void locked(boolean held, String event) {
            checkLocked(held);
            events.add(event);
        }

        private void checkLocked(boolean held) {
            lockHeldWrongly |= Thread.holdsLock(lock) != held;
        }

        String next() throws InterruptedException {
            String e = events.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("an event within 5 s").isNotNull();
            return e;
        }

        EtcdException nextError() throws InterruptedException {
            EtcdException e = errors.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("an error within 5 s").isNotNull();
            return e;
        }

        /** Nothing more happens for a while (at least one first-answer timeout). */
        void assertQuiet() throws InterruptedException {
            assertThat(events.poll(FIRST_ANSWER_MILLIS * 2, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void startOpensOneStreamAndTheOwnerSendsOnIt() throws Exception {
        assertThat(stream.isOpen()).isFalse();
        assertThat(stream.start()).isTrue();
        FakeCall call = transport.nextCall();
        assertThat(handler.next()).isEqualTo("opened");
        assertThat(call.sent.poll(5, TimeUnit.SECONDS)).isEqualTo(PING);
        assertThat(stream.isOpen()).isTrue();
        assertThat(stream.start()).as("already open").isFalse();
        assertThat(stream.streamsOpened()).isEqualTo(1);
        assertThat(transport.callOpenedWithin(50)).isFalse();
    }

    @Test
    void messagesReachTheOwnerAndItsFollowUpRunsWithoutTheLock() throws Exception {
        AtomicBoolean ranUnlocked = new AtomicBoolean();
        handler.afterReceived = () -> ranUnlocked.set(!Thread.holdsLock(lock));
        stream.start();
        FakeCall call = transport.nextCall();
        assertThat(stream.isAnswered()).isFalse();
        call.answer(answer(7));
        call.settle();
        assertThat(handler.next()).isEqualTo("opened");
        assertThat(handler.next()).isEqualTo("received 7");
        assertThat(ranUnlocked).isTrue();
        assertThat(stream.isAnswered()).isTrue();
        assertThat(handler.lockHeldWrongly).isFalse();
    }

    @Test
    void aBrokenStreamIsReopenedAfterABackoffOnTheNextEndpoint() throws Exception {
        stream.start();
        FakeCall first = transport.nextCall();
        first.close(Status.UNAVAILABLE.withDescription("io exception"));
        assertThat(handler.nextError()).isInstanceOf(EtcdUnavailableException.class).hasMessage("io exception");
        FakeCall second = transport.nextCall();
        assertThat(second.channel).as("failed over").isNotSameAs(first.channel);
        assertThat(transport.reported).hasSize(1);
        assertThat(List.of(handler.next(), handler.next(), handler.next()))
                .containsExactly("opened", "interrupted", "opened");
        assertThat(second.sent.poll(5, TimeUnit.SECONDS)).as("the owner sends again").isEqualTo(PING);
        assertThat(stream.streamsOpened()).isEqualTo(2);
    }

    @Test
    void theBackoffGrowsWhileStreamsFailAndRestartsOnceOneAnswers() throws Exception {
        stream.start();
        for (int i = 0; i < 3; i++) {
            transport.nextCall().close(Status.UNAVAILABLE);
            handler.nextError();
        }
        FakeCall answering = transport.nextCall();
        answering.answer(answer(5));
        answering.settle();
        answering.close(Status.UNAVAILABLE);
        handler.nextError();
        transport.nextCall();
        assertThat(transport.backoffAttempts).containsExactly(0, 1, 2, 0);
    }

    @Test
    void aPermanentFailureEndsTheStreamForGood() throws Exception {
        stream.start();
        transport.nextCall().close(Status.PERMISSION_DENIED.withDescription("etcdserver: permission denied"));
        assertThat(handler.nextError()).isInstanceOf(PermissionDeniedException.class);
        assertThat(List.of(handler.next(), handler.next(), handler.next()))
                .containsExactly("opened", "failed", "after failed");
        assertThat(transport.callOpenedWithin(FIRST_ANSWER_MILLIS * 2)).as("not reopened").isFalse();
        assertThat(stream.isOpen()).isFalse();
        assertThat(handler.lockHeldWrongly).isFalse();
        assertThat(stream.start()).as("a later start tries afresh").isTrue();
        transport.nextCall();
    }

    @Test
    void transientFailuresAreRetried() throws Exception {
        stream.start();
        List<Status> transients = List.of(
                Status.UNAVAILABLE.withDescription("etcdserver: no leader"),
                Status.INTERNAL.withDescription("RST_STREAM closed stream. HTTP/2 error code: PROTOCOL_ERROR"),
                Status.UNKNOWN.withDescription("lease: not primary"),
                Status.CANCELLED.withDescription("etcdserver: request cancelled"),
                Status.UNAUTHENTICATED.withDescription("etcdserver: invalid auth token"),
                Status.RESOURCE_EXHAUSTED.withDescription("etcdserver: too many requests"));
        for (Status s : transients) {
            transport.nextCall().close(s);
            assertThat(handler.nextError().getMessage()).isEqualTo(s.getDescription());
        }
        transport.nextCall();
        assertThat(handler.events).doesNotContain("failed");
    }

    @Test
    void theTransportHearsWhetherTheCallGotOntoAConnection() throws Exception {
        stream.start();
        transport.nextCall().close(Status.UNAVAILABLE);
        handler.nextError();
        FakeCall connected = transport.nextCall();
        connected.connected();
        connected.close(Status.UNAVAILABLE);
        handler.nextError();
        assertThat(transport.reportedSent).containsExactly(false, true);
    }

    @Test
    void theServerEndingTheStreamIsAFailureToo() throws Exception {
        stream.start();
        transport.nextCall().close(Status.OK);
        assertThat(handler.nextError()).isInstanceOf(EtcdUnavailableException.class)
                .hasMessage("etcdj: the server ended the test stream");
        transport.nextCall();
    }

    @Test
    void aNewStreamThatStaysSilentIsFailedOver() throws Exception {
        stream.start();
        FakeCall silent = transport.nextCall();
        assertThat(silent.cancelled.get(5, TimeUnit.SECONDS)).isEqualTo("no answer");
        assertThat(handler.nextError()).isInstanceOf(EtcdUnavailableException.class)
                .hasMessage("etcdj: no answer from fake-0 on a new test stream within " + FIRST_ANSWER_MILLIS + " ms");
        FakeCall next = transport.nextCall();
        assertThat(next.channel).isNotSameAs(silent.channel);
        // One that answers in time is left alone.
        next.answer(answer(5));
        handler.errors.clear();
        assertThat(handler.errors.poll(FIRST_ANSWER_MILLIS * 3, TimeUnit.MILLISECONDS)).isNull();
        assertThat(next.cancelled).isNotDone();
    }

    @Test
    void withoutAFirstAnswerTimeoutASilentStreamIsLeftOpen() throws Exception {
        stream = new ResilientStream<>("test", transport, LeaseGrpc.getLeaseKeepAliveMethod(), lock, 0, 0, handler);
        stream.start();
        FakeCall silent = transport.nextCall();
        assertThat(handler.next()).isEqualTo("opened");
        handler.assertQuiet();
        assertThat(silent.cancelled).isNotDone();
        assertThat(stream.isOpen()).isTrue();
    }

    @Test
    void sendLastSendsTheOneRequestAndHalfCloses() throws Exception {
        stream.start();
        FakeCall call = transport.nextCall();
        assertThat(call.sent.poll(5, TimeUnit.SECONDS)).as("the opened() ping").isEqualTo(PING);
        assertThat(call.halfClosed).isFalse();
        stream.sendLast(PING);
        assertThat(call.sent.poll()).isEqualTo(PING);
        assertThat(call.halfClosed).isTrue();
    }

    @Test
    void aReopenTheClosingClientsTimersRefuseTellsTheOwnerWithoutTheLock() throws Exception {
        stream.start();
        FakeCall call = transport.nextCall();
        transport.shutDownTimers();  // the transport is not marked closed yet
        call.close(Status.UNAVAILABLE);
        assertThat(handler.next()).isEqualTo("opened");
        assertThat(handler.next()).isEqualTo("interrupted");
        assertThat(handler.next()).isEqualTo("clientClosed");
        assertThat(handler.lockHeldWrongly).isFalse();
    }

    @Test
    void aStreamWhoseFirstAttemptsGotNoAnswerOpensItDoesNotResume() throws Exception {
        stream.start();
        transport.nextCall().close(Status.UNAVAILABLE);
        FakeCall next = transport.nextCall();
        next.answer(answer(5));
        awaitEvent("received 5");   // the stream events are told before the owner hears the answer
        assertThat(transport.streamEvents).containsExactly("streamBroken test", "streamOpened test");

        next.close(Status.UNAVAILABLE);
        transport.nextCall().answer(answer(6));
        awaitEvent("received 6");
        assertThat(transport.streamEvents).containsExactly("streamBroken test", "streamOpened test",
                "streamBroken test", "streamResumed test");
    }

    private void awaitEvent(String expected) throws InterruptedException {
        while (!handler.next().equals(expected)) {
            // earlier events (opened, interrupted) of the same steps
        }
    }

    @Test
    void stopCancelsTheCallAndWhatItSaysAfterwardsIsIgnored() throws Exception {
        stream.start();
        FakeCall call = transport.nextCall();
        assertThat(handler.next()).isEqualTo("opened");
        stream.stop("no longer needed");
        assertThat(call.cancelled.get(5, TimeUnit.SECONDS)).isEqualTo("no longer needed");
        assertThat(stream.isOpen()).isFalse();
        call.answer(answer(5));
        call.settle();
        handler.assertQuiet();
        assertThat(transport.reported).isEmpty();
        stream.send(PING);
        assertThat(call.sent.poll()).as("the opened() ping only").isEqualTo(PING);
        assertThat(call.sent).isEmpty();
        assertThat(stream.start()).as("a new start opens a new stream").isTrue();
        transport.nextCall();
    }

    @Test
    void stopForgetsAPendingReopen() throws Exception {
        transport.backoffMillis = 300;
        stream.start();
        transport.nextCall().close(Status.UNAVAILABLE);
        handler.nextError();
        assertThat(stream.start()).as("a reopen is pending").isFalse();
        stream.stop("closing");
        assertThat(transport.callOpenedWithin(600)).isFalse();
    }

    @Test
    void aStreamNobodyWantsIsNotReopened() throws Exception {
        stream.start();
        FakeCall call = transport.nextCall();
        handler.wanted = false;
        call.close(Status.UNAVAILABLE);
        handler.nextError();
        assertThat(transport.callOpenedWithin(FIRST_ANSWER_MILLIS)).isFalse();
        assertThat(stream.isOpen()).isFalse();
    }

    @Test
    void aTransportClosedBeforeTheReopenTellsTheOwnerWithoutTheLock() throws Exception {
        stream.start();
        FakeCall call = transport.nextCall();
        transport.closeTransport();
        call.close(Status.UNAVAILABLE);
        assertThat(handler.next()).isEqualTo("opened");
        assertThat(handler.next()).isEqualTo("interrupted");
        assertThat(handler.next()).isEqualTo("clientClosed");
        assertThat(handler.lockHeldWrongly).isFalse();
        assertThat(transport.callOpenedWithin(50)).isFalse();
    }

    @Test
    void withManualFlowControlTheOwnerAsksForEachMessage() throws Exception {
        stream = stream(true);
        stream.start();
        FakeCall call = transport.nextCall();
        assertThat(call.requested).as("the first message").hasValue(1);
        call.answer(answer(5));
        call.settle();
        assertThat(call.requested).as("not more by itself").hasValue(1);
        stream.request(1);
        assertThat(call.requested).hasValue(2);
    }

    @Test
    void withoutManualFlowControlGrpcReadsOnByItself() throws Exception {
        stream.start();
        FakeCall call = transport.nextCall();
        int before = call.requested.get();
        call.answer(answer(5));
        call.settle();
        assertThat(call.requested.get()).isGreaterThan(before);
    }
}
