using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// Defaults for models an upstream <c>/v1/models</c> listing names (the original's <c>enrichModel</c>): such listings
/// carry little metadata, so a discovered entry gets its provider's API, <c>transports:["sse"]</c>,
/// <c>max_output_tokens:8192</c> and <c>supports_tools:true</c> unless the listing said otherwise.
/// </summary>
internal static class DiscoveredModels
{
    public const string AnthropicMessages = "anthropic-messages";
    public const string OpenAiCompletions = "openai-completions";

    private const long DefaultMaxOutputTokens = 8192;

    // An array, not a collection-expression list: the default (Newtonsoft) grain storage serializer writes the
    // runtime type name, and a compiler-synthesised list type cannot be resolved when the catalog is read back.
    private static readonly string[] Sse = ["sse"];

    public static IReadOnlyList<ModelInfo> Enrich(IEnumerable<ModelInfo> models, string api) =>
    [
        .. models.Select(m => m with
        {
            Api = m.Api ?? api,
            Transports = m.Transports ?? Sse,
            MaxOutputTokens = m.MaxOutputTokens ?? DefaultMaxOutputTokens,
            SupportsTools = m.SupportsTools ?? true,
        }),
    ];
}
