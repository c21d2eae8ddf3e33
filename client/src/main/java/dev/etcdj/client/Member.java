package dev.etcdj.client;

import java.util.List;

/** A cluster member. An unstarted member has no name and no client URLs yet. */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    public Member {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }
}
