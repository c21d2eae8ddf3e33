package dev.etcdj.recipes;

/**
 * A proclaim by a candidate that is not (or no longer) the leader, found by the recipe's own
 * compare. Catching the client's {@link dev.etcdj.client.ElectionNotLeaderException} catches it
 * too, and the election service's answer to the same mistake.
 */
public class ElectionNotLeaderException extends dev.etcdj.client.ElectionNotLeaderException {

    public ElectionNotLeaderException() {
        super(Code.FAILED_PRECONDITION, "election: not leader");
    }
}
