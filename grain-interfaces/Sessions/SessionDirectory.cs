using System.Text;
using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// The session index: <see cref="Shards"/> directory grains, a session's shard chosen by a stable hash of its id
/// (FNV-1a, so every silo and every restart agrees). The shard count is baked into stored rows; change it only with a
/// migration.
/// </summary>
public static class SessionDirectory
{
    public const int Shards = 16;

    public const string Ascending = "asc";
    public const string Descending = "desc";
    public static readonly string[] Orders = [Ascending, Descending];

    public static ISessionDirectoryGrain ShardOf(IGrainFactory grains, string sessionId) =>
        grains.GetGrain<ISessionDirectoryGrain>(ShardIndex(sessionId));

    public static int ShardIndex(string sessionId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(sessionId))
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % Shards);
    }

    /// <summary>
    /// <c>session-tree::list</c>: all shards merged, ordered by <c>updated_at</c> (default newest first; ties by
    /// session id so pages do not overlap), then <paramref name="offset"/>/<paramref name="limit"/>.
    /// </summary>
    public static async Task<SessionListResult> ListAsync(IGrainFactory grains, int? limit, int? offset, string? order)
    {
        if (limit is < 0)
        {
            throw new PayloadValidationException("limit", "must not be negative");
        }
        if (offset is < 0)
        {
            throw new PayloadValidationException("offset", "must not be negative");
        }
        var descending = (order is null ? Descending : Require.OneOf(order, "order", Orders)) == Descending;
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(i => grains.GetGrain<ISessionDirectoryGrain>(i).Rows()));
        var rows = shards.SelectMany(r => r);
        var sorted = descending
            ? rows.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.SessionId, StringComparer.Ordinal)
            : rows.OrderBy(r => r.UpdatedAt).ThenBy(r => r.SessionId, StringComparer.Ordinal);
        var all = sorted.ToList();
        var page = all.Skip(offset ?? 0).Take(limit ?? all.Count).ToList();
        return new SessionListResult { Sessions = page, Total = all.Count };
    }
}
