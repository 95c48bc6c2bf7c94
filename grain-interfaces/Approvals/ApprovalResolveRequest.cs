using Harness.Validation;

namespace Harness.Approvals;

/// <summary><c>approval::resolve</c> payload (spec §4.1).</summary>
[GenerateSerializer]
public sealed record ApprovalResolveRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("function_call_id")] public string? FunctionCallId { get; init; }
    [Id(2), JsonPropertyName("decision")] public string? Decision { get; init; }
    [Id(3), JsonPropertyName("reason")] public string? Reason { get; init; }

    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        Require.Key(FunctionCallId, "function_call_id");
        Require.OneOf(Decision, "decision", ApprovalDecisions.All);
    }
}

public static class ApprovalDecisions
{
    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string Aborted = "aborted";
    public static readonly string[] All = [Allow, Deny, Aborted];
}
