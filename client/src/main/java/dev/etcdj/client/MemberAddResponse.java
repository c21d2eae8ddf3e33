package dev.etcdj.client;

import java.util.List;

/** The member added, and every member after adding it. */
public record MemberAddResponse(ResponseHeader header, Member member, List<Member> members) {
    public MemberAddResponse {
        members = List.copyOf(members);
    }
}
