namespace Harness.Sessions;

/// <summary>
/// One shard of the cluster-wide session index behind <c>session-tree::list</c> (key = shard number, see
/// <see cref="SessionDirectory"/>). Session grains report their row; a new session is stored at once, later changes
/// are written behind in one batch per shard, so a turn step adds no index write of its own.
/// </summary>
public interface ISessionDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Records a session's row; <paramref name="writeNow"/> stores it before returning (new sessions).</summary>
    Task Report(SessionListRow row, bool writeNow);

    /// <summary>Forgets a deleted session's row (stored before returning).</summary>
    Task Remove(string sessionId);

    /// <summary>Every row of this shard.</summary>
    Task<IReadOnlyList<SessionListRow>> Rows();
}
