namespace Harness.Models;

/// <summary>Thinking token budgets per effort level (§3.3 <c>Model.thinking_budgets</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record ModelThinkingBudgets
{
    [Id(0), JsonPropertyName("minimal")] public long? Minimal { get; init; }
    [Id(1), JsonPropertyName("low")] public long? Low { get; init; }
    [Id(2), JsonPropertyName("medium")] public long? Medium { get; init; }
    [Id(3), JsonPropertyName("high")] public long? High { get; init; }
}
