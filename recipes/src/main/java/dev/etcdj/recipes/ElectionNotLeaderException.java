package dev.etcdj.recipes;

import dev.etcdj.client.EtcdException;

/** A proclaim by a candidate that is not (or no longer) the leader. */
public class ElectionNotLeaderException extends EtcdException {

    public ElectionNotLeaderException() {
        super(Code.FAILED_PRECONDITION, "election: not leader");
    }
}
