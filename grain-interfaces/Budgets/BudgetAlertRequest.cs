using Harness.Validation;

namespace Harness.Budgets;

/// <summary>
/// <c>budget::alert_set {threshold_pct ∈ (0,1], callback_function_id, callback_payload?}</c>: when spent ÷ ceiling
/// reaches the threshold, <c>callback_function_id</c> is triggered once per period with the payload plus the alert's fields.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BudgetAlertRequest
{
    [Id(0), JsonPropertyName("threshold_pct")] public double? ThresholdPct { get; init; }
    [Id(1), JsonPropertyName("callback_function_id")] public string? CallbackFunctionId { get; init; }

    /// <summary>An object whose members are sent with every firing (the alert's own fields win).</summary>
    [Id(2), JsonPropertyName("callback_payload")] public JsonElement? CallbackPayload { get; init; }

    /// <summary>Throws <see cref="PayloadValidationException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (ThresholdPct is not { } t || !double.IsFinite(t) || t <= 0 || t > 1)
        {
            throw new PayloadValidationException("threshold_pct", "is required and must be a number in (0, 1]");
        }
        Require.NonEmpty(CallbackFunctionId, "callback_function_id");
        BudgetValidation.OptionalId(CallbackFunctionId, "callback_function_id");
        if (CallbackPayload is { } p && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            throw new PayloadValidationException("callback_payload", "must be an object");
        }
    }
}
