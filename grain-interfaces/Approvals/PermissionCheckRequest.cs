using Harness.Validation;

namespace Harness.Approvals;

/// <summary><c>policy::check_permissions</c> payload.</summary>
[GenerateSerializer]
public sealed record PermissionCheckRequest
{
    [Id(0), JsonPropertyName("function_id")] public string? FunctionId { get; init; }
    [Id(1), JsonPropertyName("args")] public JsonElement? Args { get; init; }

    public string Validate() => Require.NonEmpty(FunctionId, "function_id");
}
