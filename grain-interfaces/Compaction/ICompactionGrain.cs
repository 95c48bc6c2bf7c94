using Orleans.Concurrency;

namespace Harness.Compaction;

/// <summary>
/// The <c>context-compaction</c> worker for one session (key = session id). The single activation is the compaction
/// lease: a second compaction waits for the first (bounded by <c>Harness:Compaction:BusyTimeout</c>) and then answers
/// <c>busy</c>; so does a compaction asked for while a turn of the session is running.
/// </summary>
public interface ICompactionGrain : IGrainWithStringKey
{
    /// <summary><c>context-compaction::compact_now</c>.</summary>
    [AlwaysInterleave]
    Task<CompactionOutcome> CompactNow(CompactNowRequest request);

    /// <summary><c>context-compaction::compact_session</c>.</summary>
    [AlwaysInterleave]
    Task<CompactionOutcome> CompactSession(CompactSessionRequest request);

    /// <summary><c>context::compact</c> (the C4 console's /compact): summarises the given messages; stores nothing.</summary>
    [AlwaysInterleave]
    Task<ContextCompactReply> CompactWindow(ContextCompactRequest request);
}
