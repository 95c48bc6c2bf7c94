using Harness.Validation;

namespace Harness.Budgets;

/// <summary><c>budget::create {ceiling_usd &gt; 0, period, workspace_id?, agent_id?, name?}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetCreateRequest
{
    [Id(0), JsonPropertyName("ceiling_usd")] public double? CeilingUsd { get; init; }

    /// <summary><c>day</c>, <c>week</c> or <c>month</c>.</summary>
    [Id(1), JsonPropertyName("period")] public string? Period { get; init; }

    /// <summary>Attaches the budget to every run in this workspace (with <c>agent_id</c>: only that agent's runs there).</summary>
    [Id(2), JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }

    /// <summary>Attaches the budget to every run of this agent.</summary>
    [Id(3), JsonPropertyName("agent_id")] public string? AgentId { get; init; }

    [Id(4), JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Throws <see cref="PayloadValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        BudgetValidation.Ceiling(CeilingUsd, "ceiling_usd", required: true);
        Require.OneOf(Period, "period", BudgetPeriods.Usd);
        BudgetValidation.OptionalId(WorkspaceId, "workspace_id");
        BudgetValidation.OptionalId(AgentId, "agent_id");
        BudgetValidation.OptionalId(Name, "name");
    }
}
