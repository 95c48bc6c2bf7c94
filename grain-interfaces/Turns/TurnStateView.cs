namespace Harness.Turns;

/// <summary>The lean view sent to UIs and returned by <c>turn::get_state</c> (spec §2.5).</summary>
[GenerateSerializer]
public sealed record TurnStateView
{
    [Id(0), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(1), JsonPropertyName("state")] public required string State { get; init; }
    [Id(2), JsonPropertyName("turn_count")] public int TurnCount { get; init; }
    [Id(3), JsonPropertyName("max_turns")] public int? MaxTurns { get; init; }
    [Id(4), JsonPropertyName("awaiting_approval")] public IReadOnlyList<AwaitingApproval>? AwaitingApproval { get; init; }
    [Id(5), JsonPropertyName("error")] public TurnError? Error { get; init; }

    /// <summary>Structural comparison by JSON, as the spec's "emit only when the view changed".</summary>
    public bool SameAs(TurnStateView? other) =>
        other is not null && JsonSerializer.Serialize(this, Serialization.WireJson.Options) == JsonSerializer.Serialize(other, Serialization.WireJson.Options);
}
