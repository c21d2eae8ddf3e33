package dev.etcdj.client;

/**
 * The blocking view of an {@link ElectionClient}: each call is that client's call of the same name and
 * parameters, waited for; it returns the future's value and throws the {@link EtcdException} itself
 * (see {@link BlockingView}).
 */
public interface BlockingElectionClient extends BlockingView<ElectionClient, BlockingElectionClient> {

    CampaignResponse campaign(Bytes name, long leaseId, Bytes value);

    CampaignResponse campaign(String name, long leaseId, String value);

    ResponseHeader proclaim(LeaderKey leader, Bytes value);

    LeaderResponse leader(String name);

    LeaderResponse leader(Bytes name);

    ResponseHeader resign(LeaderKey leader);
}
