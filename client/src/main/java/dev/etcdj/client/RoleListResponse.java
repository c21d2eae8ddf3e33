package dev.etcdj.client;

import java.util.List;

/** Every role's name, sorted. */
public record RoleListResponse(ResponseHeader header, List<String> roles) {
    public RoleListResponse {
        roles = List.copyOf(roles);
    }
}
