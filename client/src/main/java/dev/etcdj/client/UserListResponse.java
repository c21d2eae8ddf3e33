package dev.etcdj.client;

import java.util.List;

/** Every user's name, sorted. */
public record UserListResponse(ResponseHeader header, List<String> users) {
    public UserListResponse {
        users = List.copyOf(users);
    }
}
