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

    /// <summary>C4: <c>once</c> (default) | <c>session</c> | <c>always</c> — an allow also grants later calls of the function.</summary>
    [Id(4), JsonPropertyName("access_duration")] public string? AccessDuration { get; init; }

    public static readonly string[] AccessDurations = ["once", "session", "always"];

    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        Require.Key(FunctionCallId, "function_call_id");
        Require.OneOf(Decision, "decision", ApprovalDecisions.All);
        if (AccessDuration is not null)
        {
            Require.OneOf(AccessDuration, "access_duration", AccessDurations);
        }
    }
}

public static class ApprovalDecisions
{
    public const string Allow = "allow";
    public const string Deny = "deny";
    public const string Aborted = "aborted";
    public static readonly string[] All = [Allow, Deny, Aborted];
}
