using Harness.Hosting;

namespace Harness.ConsoleTurns;

/// <inheritdoc cref="IPendingApprovalsGrain"/>
[GrainType("c4-pending-approvals")]
public sealed class PendingApprovalsGrain(
    [PersistentState("c4-pending-approvals", HarnessStorage.Name)] IPersistentState<PendingApprovalsState> state) : Grain, IPendingApprovalsGrain
{
    private Dictionary<string, PendingApprovalRecord> Pending => state.State.Pending;

    public async Task Add(PendingApprovalRecord record)
    {
        var key = Key(record.SessionId, record.FunctionCallId);
        if (Pending.ContainsKey(key))
        {
            return;  // a redelivered event
        }
        Pending[key] = record;
        await state.WriteStateAsync();
    }

    public async Task<PendingApprovalRecord?> Remove(string sessionId, string functionCallId)
    {
        if (!Pending.Remove(Key(sessionId, functionCallId), out var record))
        {
            return null;
        }
        await state.WriteStateAsync();
        return record;
    }

    public Task<IReadOnlyList<PendingApprovalRecord>> List(string? sessionId, int limit) =>
        Task.FromResult<IReadOnlyList<PendingApprovalRecord>>(
            [.. Pending.Values.Where(r => sessionId is null || r.SessionId == sessionId).OrderBy(r => r.PendingAt).Take(limit)]);

    private static string Key(string sessionId, string callId) => $"{sessionId}\n{callId}";
}

/// <summary>Stored form: "session\ncall" → record.</summary>
public sealed class PendingApprovalsState
{
    [System.Text.Json.Serialization.JsonPropertyName("pending")] public Dictionary<string, PendingApprovalRecord> Pending { get; set; } = new(StringComparer.Ordinal);
}
