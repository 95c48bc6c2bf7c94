using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>session-tree::fork</c> payload: make <c>entry_id</c> the active leaf of the session.</summary>
public sealed record SessionForkRequest
{
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [JsonPropertyName("entry_id")] public string? EntryId { get; init; }

    public (string SessionId, string EntryId) Validate() =>
        (Require.Key(SessionId, "session_id"), Require.NonEmpty(EntryId, "entry_id"));
}
