namespace Harness.Approvals;

/// <summary>Per-session permission mode and grants (spec §4.3).</summary>
[GenerateSerializer]
public sealed record ApprovalSettings
{
    [Id(0), JsonPropertyName("mode")] public string Mode { get; init; } = ApprovalModes.Manual;
    [Id(1), JsonPropertyName("always_allow")] public IReadOnlyList<ApprovalGrant> AlwaysAllow { get; init; } = [];
    [Id(2), JsonPropertyName("approved_always")] public IReadOnlyList<ApprovalGrant> ApprovedAlways { get; init; } = [];
    [Id(3), JsonPropertyName("mode_set_at")] public long ModeSetAt { get; init; }
}

[GenerateSerializer]
public sealed record ApprovalGrant
{
    [Id(0), JsonPropertyName("function_id")] public required string FunctionId { get; init; }
    [Id(1), JsonPropertyName("granted_at")] public long GrantedAt { get; init; }
    [Id(2), JsonPropertyName("granted_by")] public string GrantedBy { get; init; } = "user_click";
}

public static class ApprovalModes
{
    public const string Manual = "manual";
    public const string Auto = "auto";
    public const string Full = "full";
    public static readonly string[] All = [Manual, Auto, Full];
}
