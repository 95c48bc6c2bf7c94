namespace Harness.Turns;

/// <summary>
/// The batch in progress. <c>triggered</c> is our at-most-once checkpoint: a call id is added and persisted
/// before the target is invoked, and a call found there without an <c>executed</c> entry after a crash is
/// never invoked again.
/// </summary>
[GenerateSerializer]
public sealed class TurnWork
{
    [Id(0), JsonPropertyName("prepared")] public List<PreparedCall> Prepared { get; set; } = [];
    [Id(1), JsonPropertyName("executed")] public Dictionary<string, ExecutedCall> Executed { get; set; } = [];
    [Id(2), JsonPropertyName("triggered")] public List<string> Triggered { get; set; } = [];
}
