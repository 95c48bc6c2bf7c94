namespace Harness.Turns;

/// <summary><c>{ok, from_state, to_state}</c> or <c>{ok, skipped:true, reason:"stale"}</c> (spec §2.1).</summary>
[GenerateSerializer]
public sealed record TurnStepResult
{
    [Id(0), JsonPropertyName("ok")] public bool Ok { get; init; } = true;
    [Id(1), JsonPropertyName("from_state")] public string? FromState { get; init; }
    [Id(2), JsonPropertyName("to_state")] public string? ToState { get; init; }
    [Id(3), JsonPropertyName("skipped")] public bool? Skipped { get; init; }
    [Id(4), JsonPropertyName("reason")] public string? Reason { get; init; }

    public static TurnStepResult Stale { get; } = new() { Skipped = true, Reason = "stale" };
}
