package dev.etcdj.client;

import java.util.List;

/** A user's roles. */
public record UserGetResponse(ResponseHeader header, List<String> roles) {
    public UserGetResponse {
        roles = List.copyOf(roles);
    }
}
