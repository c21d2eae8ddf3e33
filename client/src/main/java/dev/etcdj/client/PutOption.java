package dev.etcdj.client;

/** An option of a put; made by the static methods of {@link Options}. */
public sealed interface PutOption permits Options.Lease, Options.PrevKv, Options.PutFlag {}
