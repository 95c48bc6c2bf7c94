namespace Harness.Validation;

/// <summary>
/// A request payload was rejected; <see cref="Field"/> names the offending field so callers can fix it.
/// Nothing is written when this is thrown.
/// </summary>
[GenerateSerializer]
public sealed class PayloadValidationException(string field, string message)
    : Exception($"invalid_payload: {field}: {message}")
{
    [Id(0)] public string Field { get; } = field;
    [Id(1)] public string Reason { get; } = message;

    public const string Code = "invalid_payload";
}
