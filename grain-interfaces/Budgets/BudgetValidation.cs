using Harness.Validation;

namespace Harness.Budgets;

/// <summary>Field checks shared by the budget requests; each throws <see cref="PayloadValidationException"/> naming the field.</summary>
public static class BudgetValidation
{
    public static void Usd(double? value, string field)
    {
        if (value is { } v && (!double.IsFinite(v) || v < 0 || v > BudgetLimits.MaxUsd))
        {
            throw new PayloadValidationException(field, $"must be a number between 0 and {BudgetLimits.MaxUsd}");
        }
    }

    /// <summary>A USD ceiling: a finite number &gt; 0.</summary>
    public static void Ceiling(double? value, string field, bool required)
    {
        if (value is null && !required)
        {
            return;
        }
        if (value is not { } v || !double.IsFinite(v) || v <= 0 || v > BudgetLimits.MaxUsd)
        {
            throw new PayloadValidationException(field, $"{(required ? "is required and " : "")}must be a number > 0 and <= {BudgetLimits.MaxUsd}");
        }
    }

    public static void Tokens(long? value, string field)
    {
        if (value is < 0)
        {
            throw new PayloadValidationException(field, "must be >= 0");
        }
    }

    public static void OptionalId(string? value, string field)
    {
        if (value is null)
        {
            return;
        }
        Require.NonEmpty(value, field);
        if (value.Length > BudgetLimits.MaxIdLength)
        {
            throw new PayloadValidationException(field, $"must be at most {BudgetLimits.MaxIdLength} characters");
        }
    }
}
