using Harness.Validation;

namespace Harness.Budgets;

/// <summary>
/// Settings of one budget: <c>{period, ceiling_usd?, ceiling_tokens?, enforced?, paused?, reservation_ttl_seconds?}</c>.
/// A missing ceiling means that dimension is unlimited; tokens are input + output (+ cache) tokens.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BudgetConfig
{
    /// <summary>Default lifetime of a reservation that is never settled: 10 minutes.</summary>
    public const int DefaultReservationTtlSeconds = 600;

    /// <summary><c>day</c>, <c>month</c> (default) or <c>none</c> (never resets).</summary>
    [Id(0), JsonPropertyName("period")] public string? Period { get; init; }
    [Id(1), JsonPropertyName("ceiling_usd")] public double? CeilingUsd { get; init; }
    [Id(2), JsonPropertyName("ceiling_tokens")] public long? CeilingTokens { get; init; }

    /// <summary>False: the budget only counts and every check is allowed with reason <c>not_enforced</c>. Default true.</summary>
    [Id(3), JsonPropertyName("enforced")] public bool? Enforced { get; init; }

    /// <summary>True: every check is denied with reason <c>paused</c>. Default false.</summary>
    [Id(4), JsonPropertyName("paused")] public bool? Paused { get; init; }

    /// <summary>How long an unsettled reservation holds its estimate. Default <see cref="DefaultReservationTtlSeconds"/>.</summary>
    [Id(5), JsonPropertyName("reservation_ttl_seconds")] public int? ReservationTtlSeconds { get; init; }

    [JsonIgnore] public string EffectivePeriod => Period ?? BudgetPeriods.Month;
    [JsonIgnore] public bool IsEnforced => Enforced ?? true;
    [JsonIgnore] public bool IsPaused => Paused ?? false;
    [JsonIgnore] public TimeSpan ReservationTtl => TimeSpan.FromSeconds(ReservationTtlSeconds ?? DefaultReservationTtlSeconds);

    /// <summary>Throws <see cref="PayloadValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (Period is not null)
        {
            Require.OneOf(Period, "period", BudgetPeriods.All);
        }
        BudgetValidation.Usd(CeilingUsd, "ceiling_usd");
        BudgetValidation.Tokens(CeilingTokens, "ceiling_tokens");
        if (ReservationTtlSeconds is < 1 or > BudgetLimits.MaxReservationTtlSeconds)
        {
            throw new PayloadValidationException("reservation_ttl_seconds", $"must be between 1 and {BudgetLimits.MaxReservationTtlSeconds}");
        }
    }
}
