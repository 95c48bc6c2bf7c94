namespace Harness.Models;

/// <summary>Reply of <c>models::reconcile</c>: <c>{provider, count, ids}</c> (console-and-data §3.3).</summary>
[GenerateSerializer, Immutable]
public sealed record ModelsReconcileResult
{
    [Id(0), JsonPropertyName("provider")] public required string Provider { get; init; }
    [Id(1), JsonPropertyName("count")] public int Count { get; init; }
    [Id(2), JsonPropertyName("ids")] public IReadOnlyList<string> Ids { get; init; } = [];
}
