package dev.etcdj.client;

/** The blocking view of an {@link ElectionClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingElectionClient {

    private final ElectionClient elections;

    BlockingElectionClient(ElectionClient elections) {
        this.elections = elections;
    }

    public CampaignResponse campaign(Bytes name, long leaseId, Bytes value) {
        return Futures.await(elections.campaign(name, leaseId, value));
    }

    public CampaignResponse campaign(String name, long leaseId, String value) {
        return Futures.await(elections.campaign(name, leaseId, value));
    }

    public ResponseHeader proclaim(LeaderKey leader, Bytes value) {
        return Futures.await(elections.proclaim(leader, value));
    }

    public LeaderResponse leader(String name) {
        return Futures.await(elections.leader(name));
    }

    public LeaderResponse leader(Bytes name) {
        return Futures.await(elections.leader(name));
    }

    public ResponseHeader resign(LeaderKey leader) {
        return Futures.await(elections.resign(leader));
    }
}
