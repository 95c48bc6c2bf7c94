namespace Harness.Approvals;

/// <summary><c>{ok:true}</c> or <c>{ok:false, error:"invalid_payload"|"resume_failed", field?, message?}</c>.</summary>
[GenerateSerializer]
public sealed record ApprovalResolveResult
{
    [Id(0), JsonPropertyName("ok")] public bool Ok { get; init; }
    [Id(1), JsonPropertyName("error")] public string? Error { get; init; }
    [Id(2), JsonPropertyName("field")] public string? Field { get; init; }
    [Id(3), JsonPropertyName("message")] public string? Message { get; init; }

    public static ApprovalResolveResult Success { get; } = new() { Ok = true };
}
