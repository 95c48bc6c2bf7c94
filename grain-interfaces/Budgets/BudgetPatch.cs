using Harness.Validation;

namespace Harness.Budgets;

/// <summary>The <c>patch</c> of <c>budget::update</c>: <c>{ceiling_usd? &gt; 0, period?, enforced?, paused?, name?}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetPatch
{
    [Id(0), JsonPropertyName("ceiling_usd")] public double? CeilingUsd { get; init; }
    [Id(1), JsonPropertyName("period")] public string? Period { get; init; }
    [Id(2), JsonPropertyName("enforced")] public bool? Enforced { get; init; }
    [Id(3), JsonPropertyName("paused")] public bool? Paused { get; init; }
    [Id(4), JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Throws <see cref="PayloadValidationException"/> naming the first bad field (as <c>patch.&lt;field&gt;</c>).</summary>
    public void Validate()
    {
        BudgetValidation.Ceiling(CeilingUsd, "patch.ceiling_usd", required: false);
        if (Period is not null)
        {
            Require.OneOf(Period, "patch.period", BudgetPeriods.Usd);
        }
        BudgetValidation.OptionalId(Name, "patch.name");
    }
}
