package dev.etcdj.recipes;

import dev.etcdj.client.EtcdException;

/** The session a lock or election relied on has ended: its lease, and the keys on it, are gone. */
public class SessionExpiredException extends EtcdException {

    public SessionExpiredException() {
        super(Code.FAILED_PRECONDITION, "session: session is expired");
    }
}
