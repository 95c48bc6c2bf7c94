namespace Harness.Budgets;

/// <summary>
/// A budget as <c>budget::get</c> / <c>budget::list</c> / <c>budget::update</c> return it (the original's record;
/// times are Unix milliseconds). Budgets made by <c>budget::configure</c> also carry their token counters.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BudgetInfo
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("workspace_id")] public string? WorkspaceId { get; init; }
    [Id(2), JsonPropertyName("agent_id")] public string? AgentId { get; init; }
    [Id(3), JsonPropertyName("name")] public string? Name { get; init; }

    /// <summary>Null only for a budget configured with a token ceiling alone.</summary>
    [Id(4), JsonPropertyName("ceiling_usd")] public double? CeilingUsd { get; init; }
    [Id(5), JsonPropertyName("period")] public required string Period { get; init; }
    [Id(6), JsonPropertyName("spent_usd")] public double SpentUsd { get; init; }
    [Id(7), JsonPropertyName("period_start_at")] public long? PeriodStartAt { get; init; }
    [Id(8), JsonPropertyName("period_resets_at")] public long? PeriodResetsAt { get; init; }
    [Id(9), JsonPropertyName("enforced")] public bool Enforced { get; init; }
    [Id(10), JsonPropertyName("paused")] public bool Paused { get; init; }
    [Id(11), JsonPropertyName("alerts")] public IReadOnlyList<BudgetAlert> Alerts { get; init; } = [];
    [Id(12), JsonPropertyName("exemptions")] public IReadOnlyList<BudgetExemption> Exemptions { get; init; } = [];
    [Id(13), JsonPropertyName("created_at")] public long CreatedAt { get; init; }
    [Id(14), JsonPropertyName("updated_at")] public long UpdatedAt { get; init; }

    /// <summary>Held by outstanding reservations (model calls in flight), not yet spent.</summary>
    [Id(15), JsonPropertyName("reserved_usd")] public double ReservedUsd { get; init; }
    [Id(16), JsonPropertyName("ceiling_tokens")] public long? CeilingTokens { get; init; }
    [Id(17), JsonPropertyName("spent_tokens")] public long SpentTokens { get; init; }

    /// <summary>Alert callbacks fired but not yet delivered (retried until they are).</summary>
    [Id(18), JsonPropertyName("pending_alert_deliveries")] public int PendingAlertDeliveries { get; init; }
}

/// <summary>One alert: <c>{alert_id, threshold_pct, callback_function_id, callback_payload?, last_fired_period_start?}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetAlert
{
    [Id(0), JsonPropertyName("alert_id")] public required string AlertId { get; init; }
    [Id(1), JsonPropertyName("threshold_pct")] public double ThresholdPct { get; init; }
    [Id(2), JsonPropertyName("callback_function_id")] public required string CallbackFunctionId { get; init; }
    [Id(3), JsonPropertyName("callback_payload")] public JsonElement? CallbackPayload { get; init; }

    /// <summary>Unix ms of the period in which it last fired; cleared when the period rolls over.</summary>
    [Id(4), JsonPropertyName("last_fired_period_start")] public long? LastFiredPeriodStart { get; init; }
}

/// <summary>A 24 h exemption of one principal: <c>{principal_id, reason, expires_at}</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record BudgetExemption
{
    [Id(0), JsonPropertyName("principal_id")] public required string PrincipalId { get; init; }
    [Id(1), JsonPropertyName("reason")] public required string Reason { get; init; }
    [Id(2), JsonPropertyName("expires_at")] public long ExpiresAt { get; init; }
}
