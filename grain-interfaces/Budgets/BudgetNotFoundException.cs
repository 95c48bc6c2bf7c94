namespace Harness.Budgets;

/// <summary>Check, reserve or record on a budget that was never configured (spec: <c>budget not found: &lt;id&gt;</c>).</summary>
[GenerateSerializer]
public sealed class BudgetNotFoundException(string budgetId) : Exception($"budget not found: {budgetId}")
{
    [Id(0)] public string BudgetId { get; } = budgetId;
}
