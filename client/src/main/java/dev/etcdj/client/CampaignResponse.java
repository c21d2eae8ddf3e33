package dev.etcdj.client;

import java.util.Objects;

/** The answer to {@link ElectionClient#campaign}: the candidate leads, as {@code leader}. */
public record CampaignResponse(ResponseHeader header, LeaderKey leader) {
    public CampaignResponse {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(leader, "leader");
    }
}
