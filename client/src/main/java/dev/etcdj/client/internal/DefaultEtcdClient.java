package dev.etcdj.client.internal;

import dev.etcdj.client.ClientConfig;
import dev.etcdj.client.EtcdClient;

/** The client's implementation; unsupported API, may change at any time. */
public final class DefaultEtcdClient {

    private DefaultEtcdClient() {}

    public static EtcdClient create(ClientConfig config) {
        throw new IllegalStateException("client implementation is being written");
    }
}
