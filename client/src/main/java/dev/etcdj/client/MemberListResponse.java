package dev.etcdj.client;

import java.util.List;

/** The members after a list, remove, update or promote. */
public record MemberListResponse(ResponseHeader header, List<Member> members) {
    public MemberListResponse {
        members = List.copyOf(members);
    }
}
