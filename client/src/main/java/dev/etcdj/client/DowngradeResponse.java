package dev.etcdj.client;

/** The answer to {@link MaintenanceClient#downgrade}: the cluster's version as the server reports it. */
public record DowngradeResponse(ResponseHeader header, String version) {}
