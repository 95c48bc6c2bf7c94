namespace Harness.Bridge.Functions.Payloads;

/// <summary>
/// <c>{ok:true}</c>, or a failure reported in the result instead of thrown:
/// <c>{ok:false, error:"invalid_payload", field, message}</c> or <c>{ok:false, error:"settings_failed", message}</c>.
/// </summary>
public sealed record OkResult
{
    [JsonPropertyName("ok")] public bool Ok { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("field")] public string? Field { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }

    public static OkResult Success { get; } = new() { Ok = true };
}
