package dev.etcdj.client;

import java.util.List;

public record AlarmResponse(ResponseHeader header, List<AlarmMember> alarms) {
    public AlarmResponse {
        alarms = List.copyOf(alarms);
    }
}
