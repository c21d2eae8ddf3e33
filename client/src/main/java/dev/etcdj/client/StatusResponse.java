package dev.etcdj.client;

import java.util.List;

/** A member's status; {@code leader} is the leader's member ID, 0 when there is none. */
public record StatusResponse(ResponseHeader header, String version, long dbSize, long dbSizeInUse, long leader,
                             long raftIndex, long raftTerm, long raftAppliedIndex, List<String> errors,
                             boolean learner) {
    public StatusResponse {
        errors = List.copyOf(errors);
    }
}
