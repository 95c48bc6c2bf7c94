namespace Harness.Validation;

/// <summary>Small guard helpers that name the field they check.</summary>
public static class Require
{
    public static string NonEmpty(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new PayloadValidationException(field, "is required and must be a non-empty string");
        }
        return value;
    }

    public static string Key(string? value, string field)
    {
        NonEmpty(value, field);
        if (value!.Contains('/'))
        {
            throw new PayloadValidationException(field, "must not contain '/'");
        }
        return value;
    }

    public static string OneOf(string? value, string field, params string[] allowed)
    {
        if (value is null || Array.IndexOf(allowed, value) < 0)
        {
            throw new PayloadValidationException(field, $"must be one of {string.Join("|", allowed)} (got {(value is null ? "nothing" : $"'{value}'")})");
        }
        return value;
    }
}
