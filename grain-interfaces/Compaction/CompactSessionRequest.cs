using Harness.Validation;

namespace Harness.Compaction;

/// <summary>
/// <c>context-compaction::compact_session {session_id, model?}</c> (the console's <c>/compact</c>): summarise now, with
/// no replay and no continue prompt. The model is resolved in the order of spec §3.2 when it is missing or has no limit.
/// </summary>
[GenerateSerializer]
public sealed record CompactSessionRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("model")] public CompactionModel? Model { get; init; }

    public string Validate() => Require.Key(SessionId, "session_id");
}
