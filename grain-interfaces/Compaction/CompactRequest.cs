using Harness.Validation;

namespace Harness.Compaction;

/// <summary>
/// <c>context-compaction::compact_now</c> (the console's <c>/compact</c>): summarise the session now. Provider and model
/// default to the session's last run.
/// </summary>
[GenerateSerializer]
public sealed record CompactRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("provider")] public string? Provider { get; init; }
    [Id(2), JsonPropertyName("model")] public string? Model { get; init; }

    public string Validate() => Require.Key(SessionId, "session_id");
}
