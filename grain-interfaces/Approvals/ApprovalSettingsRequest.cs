using Harness.Validation;

namespace Harness.Approvals;

/// <summary>Payload of the <c>approval::*</c> settings functions (spec §4.2): <c>{session_id, mode?, function_id?}</c>.</summary>
[GenerateSerializer]
public sealed record ApprovalSettingsRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("mode")] public string? Mode { get; init; }
    [Id(2), JsonPropertyName("function_id")] public string? FunctionId { get; init; }

    public string ValidateSession() => Require.Key(SessionId, "session_id");

    public string ValidateMode() => Require.OneOf(Mode, "mode", ApprovalModes.All);

    public string ValidateFunction() => Require.NonEmpty(FunctionId, "function_id");
}
