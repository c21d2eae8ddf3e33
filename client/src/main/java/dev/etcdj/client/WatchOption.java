package dev.etcdj.client;

/** An option of a watch; made by the static methods of {@link Options}. */
public sealed interface WatchOption permits Options.KeyRange, Options.Revision, Options.PrevKv, Options.WatchFlag {}
