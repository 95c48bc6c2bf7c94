using Harness.Hosting;

namespace Harness.Sessions;

/// <summary>Stored rows of one directory shard, by session id.</summary>
public sealed class SessionDirectoryState
{
    [System.Text.Json.Serialization.JsonPropertyName("rows")] public Dictionary<string, SessionListRow> Rows { get; set; } = new(StringComparer.Ordinal);
}

/// <inheritdoc cref="ISessionDirectoryGrain"/>
/// <remarks>
/// Why a grain and not a SQL query over the storage table: rows are JSON blobs of Orleans' own schema, and listing
/// would read every session's whole tree. A shard is a single activation, so every silo sees the same index; a
/// session created explicitly is written at once; one created by a turn's first append and updates (updated_at,
/// summary, entry count) are written behind, at most one write per shard per <see cref="WriteBehind"/>, and on
/// deactivation. An update lost with a crashed silo heals on that session's
/// next change or activation (session grains report their full row each time).
/// </remarks>
[GrainType("session-directory")]
public sealed class SessionDirectoryGrain(
    [PersistentState("session-directory", HarnessStorage.Name)] IPersistentState<SessionDirectoryState> state,
    ILogger<SessionDirectoryGrain> logger) : Grain, ISessionDirectoryGrain
{
    /// <summary>How long an update may wait to be batched with others of the same shard.</summary>
    public static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(1);

    private bool _dirty;
    private IGrainTimer? _flush;

    public async Task Report(SessionListRow row, bool writeNow)
    {
        var rows = state.State.Rows;
        if (rows.TryGetValue(row.SessionId, out var known) && (SameRow(known, row) || known.UpdatedAt > row.UpdatedAt))
        {
            // Unchanged, or a late report overtaken by a newer one.
            if (writeNow && _dirty)
            {
                await FlushAsync();
            }
            return;
        }
        rows[row.SessionId] = row;
        _dirty = true;
        if (writeNow)
        {
            await FlushAsync();
        }
        else
        {
            _flush ??= this.RegisterGrainTimer(_ => FlushAsync(), new GrainTimerCreationOptions { DueTime = WriteBehind, Period = Timeout.InfiniteTimeSpan, Interleave = false, KeepAlive = true });
        }
    }

    public async Task Remove(string sessionId)
    {
        if (state.State.Rows.Remove(sessionId))
        {
            _dirty = true;
            await FlushAsync();
        }
    }

    /// <summary>Record equality, except that metadata (a JsonElement, compared by reference) is compared by its text.</summary>
    private static bool SameRow(SessionListRow a, SessionListRow b) =>
        a with { Metadata = null } == b with { Metadata = null } && a.Metadata?.GetRawText() == b.Metadata?.GetRawText();

    public Task<IReadOnlyList<SessionListRow>> Rows() => Task.FromResult<IReadOnlyList<SessionListRow>>([.. state.State.Rows.Values]);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            try
            {
                await FlushAsync();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "session directory shard {Shard} could not store its last updates", this.GetPrimaryKeyLong());
            }
        }
    }

    private async Task FlushAsync()
    {
        _flush?.Dispose();
        _flush = null;
        if (!_dirty)
        {
            return;
        }
        _dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            _dirty = true;
            throw;
        }
    }
}
