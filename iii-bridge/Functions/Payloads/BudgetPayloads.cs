using Harness.Budgets;

namespace Harness.Bridge.Functions.Payloads;

// Wire payloads of the budget::* functions that are not grain records. Every request also carries budget_id
// (except create and list), read and type-checked by BudgetBridgeFunctions.

/// <summary>A request whose only field is <c>budget_id</c> (get, delete, reset, forecast).</summary>
public sealed record BudgetIdRequest;

/// <summary><c>budget::list {workspace_id?}</c>.</summary>
public sealed record BudgetListRequest
{
    [JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
}

/// <summary><c>budget::update {budget_id, patch}</c>.</summary>
public sealed record BudgetUpdateRequest
{
    [JsonPropertyName("patch")] public BudgetPatch? Patch { get; init; }
}

/// <summary><c>budget::usage {budget_id, window?}</c>: <c>all</c> or the budget's own period.</summary>
public sealed record BudgetUsageRequest
{
    [JsonPropertyName("window")] public string? Window { get; init; }
}

/// <summary><c>budget::enforce {budget_id, enforced}</c>.</summary>
public sealed record BudgetEnforceRequest
{
    [JsonPropertyName("enforced")] public bool? Enforced { get; init; }
}

/// <summary><c>budget::pause {budget_id, paused}</c>.</summary>
public sealed record BudgetPauseRequest
{
    [JsonPropertyName("paused")] public bool? Paused { get; init; }
}

/// <summary><c>budget::exempt {budget_id, principal_id, reason}</c>.</summary>
public sealed record BudgetExemptRequest
{
    [JsonPropertyName("principal_id")] public string? PrincipalId { get; init; }
    [JsonPropertyName("reason")] public string? Reason { get; init; }
}

public sealed record BudgetCreateResult([property: JsonPropertyName("budget_id")] string BudgetId);

public sealed record BudgetListResult([property: JsonPropertyName("budgets")] IReadOnlyList<BudgetInfo> Budgets);

public sealed record BudgetGetResult([property: JsonPropertyName("budget")] BudgetInfo Budget);

public sealed record BudgetAlertSetResult([property: JsonPropertyName("alert_id")] string AlertId);

public sealed record BudgetEnforceResult(
    [property: JsonPropertyName("budget_id")] string BudgetId,
    [property: JsonPropertyName("enforced")] bool Enforced);

public sealed record BudgetPauseResult(
    [property: JsonPropertyName("budget_id")] string BudgetId,
    [property: JsonPropertyName("paused")] bool Paused);

public sealed record BudgetExemptResult(
    [property: JsonPropertyName("budget_id")] string BudgetId,
    [property: JsonPropertyName("expires_at")] long ExpiresAt);
