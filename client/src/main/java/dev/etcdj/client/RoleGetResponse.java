package dev.etcdj.client;

import java.util.List;

/** A role's permissions. */
public record RoleGetResponse(ResponseHeader header, List<Permission> permissions) {
    public RoleGetResponse {
        permissions = List.copyOf(permissions);
    }
}
