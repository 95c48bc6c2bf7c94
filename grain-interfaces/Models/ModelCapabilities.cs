using Harness.Validation;

namespace Harness.Models;

/// <summary>
/// The capability strings of <c>models::supports</c> and <c>models::list {capability}</c> (console-and-data §3.3):
/// <c>thinking</c>, <c>thinking:low|medium|high</c> test <c>supports_thinking</c>, <c>thinking:xhigh</c> tests
/// <c>supports_xhigh</c>, and <c>tools</c>, <c>vision</c>, <c>cache</c> their flags.
/// </summary>
public static class ModelCapabilities
{
    public static readonly IReadOnlyList<string> All =
        ["thinking", "thinking:low", "thinking:medium", "thinking:high", "thinking:xhigh", "tools", "vision", "cache"];

    public static bool IsKnown(string? capability) => capability is not null && All.Contains(capability);

    /// <summary>Whether <paramref name="model"/> has <paramref name="capability"/>; an unknown string is invalid_payload.</summary>
    public static bool Supports(ModelInfo model, string? capability) => capability switch
    {
        "thinking" or "thinking:low" or "thinking:medium" or "thinking:high" => model.SupportsThinking == true,
        "thinking:xhigh" => model.SupportsXhigh == true,
        "tools" => model.SupportsTools == true,
        "vision" => model.SupportsVision == true,
        "cache" => model.SupportsCache == true,
        _ => throw new PayloadValidationException("capability", $"unknown capability '{capability}' (known: {string.Join(", ", All)})"),
    };
}
