package dev.etcdj.client;

/**
 * Hears the client's {@link ConnectionState} change. Register with
 * {@link ClientBuilder#connectionStateListener(ConnectionStateListener)}. Calls run one at a time,
 * in order, on the client's callback threads (never a network thread); an exception thrown is
 * logged and otherwise ignored.
 */
@FunctionalInterface
public interface ConnectionStateListener {

    void stateChanged(EtcdClient client, ConnectionState newState);
}
