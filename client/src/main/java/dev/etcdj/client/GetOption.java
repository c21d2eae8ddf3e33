package dev.etcdj.client;

/** An option of a get; made by the static methods of {@link Options}. */
public sealed interface GetOption permits Options.KeyRange, Options.Revision, Options.Limit, Options.Sort,
        Options.GetFlag, Options.RevisionBound, Options.Combined {}
