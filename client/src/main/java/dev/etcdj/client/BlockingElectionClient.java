package dev.etcdj.client;

/** The blocking view of an {@link ElectionClient}: each call waits and throws the {@link EtcdException} itself. */
public final class BlockingElectionClient extends BlockingView<ElectionClient, BlockingElectionClient> {

    BlockingElectionClient(ElectionClient elections) {
        super(elections, ElectionClient::blocking);
    }

    public CampaignResponse campaign(Bytes name, long leaseId, Bytes value) {
        return Futures.await(async.campaign(name, leaseId, value));
    }

    public CampaignResponse campaign(String name, long leaseId, String value) {
        return Futures.await(async.campaign(name, leaseId, value));
    }

    public ResponseHeader proclaim(LeaderKey leader, Bytes value) {
        return Futures.await(async.proclaim(leader, value));
    }

    public LeaderResponse leader(String name) {
        return Futures.await(async.leader(name));
    }

    public LeaderResponse leader(Bytes name) {
        return Futures.await(async.leader(name));
    }

    public ResponseHeader resign(LeaderKey leader) {
        return Futures.await(async.resign(leader));
    }
}
