namespace Harness.Triggers;

/// <summary>
/// Every live C4 binding of the cluster, as one immutable snapshot. <see cref="Version"/> grows with each stored change
/// (it is stored too), so a follower keeps the newest snapshot whatever order two deliveries arrive in.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleTriggerBindings
{
    public static readonly ConsoleTriggerBindings Empty = new();

    [Id(0), JsonPropertyName("version")] public long Version { get; init; }
    [Id(1), JsonPropertyName("bindings")] public IReadOnlyList<ConsoleTriggerBinding> Bindings { get; init; } = [];

    /// <summary>Distinct target functions of <paramref name="triggerType"/> for an event of <paramref name="sessionId"/>.</summary>
    public IEnumerable<string> Targets(string triggerType, string? sessionId) =>
        Bindings.Where(b => b.Matches(triggerType, sessionId)).Select(b => b.FunctionId).Distinct(StringComparer.Ordinal);
}
