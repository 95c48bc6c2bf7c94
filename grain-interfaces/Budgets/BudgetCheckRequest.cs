namespace Harness.Budgets;

/// <summary>
/// Payload of <c>budget::check</c> / reserve: <c>{estimated_cost_usd?, principal_id?, estimated_tokens?, reservation_id?,
/// run_id?, ttl_seconds?}</c>. Estimates default to 0; without an estimate a reservation holds nothing.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BudgetCheckRequest
{
    [Id(0), JsonPropertyName("estimated_tokens")] public long? EstimatedTokens { get; init; }
    [Id(1), JsonPropertyName("estimated_cost_usd")] public double? EstimatedCostUsd { get; init; }

    /// <summary>Caller-chosen reservation id (e.g. <c>&lt;run_id&gt;:&lt;step&gt;</c>) making a retried reserve idempotent.</summary>
    [Id(2), JsonPropertyName("reservation_id")] public string? ReservationId { get; init; }

    [Id(3), JsonPropertyName("run_id")] public string? RunId { get; init; }

    /// <summary>Overrides the budget's reservation lifetime for this reservation.</summary>
    [Id(4), JsonPropertyName("ttl_seconds")] public int? TtlSeconds { get; init; }

    /// <summary>Who is asking (the turn passes its <c>agent_id</c>); an exempt principal is allowed with reason <c>exempt</c>.</summary>
    [Id(5), JsonPropertyName("principal_id")] public string? PrincipalId { get; init; }

    /// <summary>Throws <see cref="Validation.PayloadValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        BudgetValidation.Tokens(EstimatedTokens, "estimated_tokens");
        BudgetValidation.Usd(EstimatedCostUsd, "estimated_cost_usd");
        BudgetValidation.OptionalId(ReservationId, "reservation_id");
        BudgetValidation.OptionalId(RunId, "run_id");
        BudgetValidation.OptionalId(PrincipalId, "principal_id");
        if (TtlSeconds is < 1 or > BudgetLimits.MaxReservationTtlSeconds)
        {
            throw new Validation.PayloadValidationException("ttl_seconds", $"must be between 1 and {BudgetLimits.MaxReservationTtlSeconds}");
        }
    }
}
