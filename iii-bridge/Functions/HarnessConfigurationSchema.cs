using Harness.Approvals;
using Harness.Models;

namespace Harness.Bridge.Functions;

/// <summary>
/// The JSON Schema of the engine configuration entry <c>harness</c> (harness-core §3.1), composed from the providers:
/// <c>{permissions:{default_mode}, providers:{&lt;id&gt;: schema}}</c>, where a declared provider contributes its
/// <c>config_schema</c> and any other provider the default slice (<c>api_key</c> password/writeOnly, <c>api_url</c>,
/// <c>max_tokens</c> 1..1048576, defaults from its declaration). The console renders its configuration form from it.
/// </summary>
public static class HarnessConfigurationSchema
{
    public const string EntryId = "harness";
    public const string EntryDescription = "LLM provider credentials/settings and agent permissions, managed by the harness.";

    /// <param name="declared">Providers that declared themselves (<c>harness::provider::register</c>).</param>
    /// <param name="builtIn">Providers of the silo itself; a declaration with the same id wins.</param>
    public static JsonObject Compose(IReadOnlyList<ProviderDeclaration> declared, IEnumerable<string> builtIn)
    {
        var providers = new JsonObject();
        foreach (var name in builtIn.Order(StringComparer.Ordinal))
        {
            providers[name] = DefaultSlice(new ProviderDeclaration { Id = name });
        }
        foreach (var declaration in declared)
        {
            providers[declaration.Id!] = declaration.ConfigSchema is { ValueKind: JsonValueKind.Object } schema
                ? JsonNode.Parse(schema.GetRawText())
                : DefaultSlice(declaration);
        }
        return new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["type"] = "object",
            ["title"] = EntryId,
            ["properties"] = new JsonObject
            {
                ["permissions"] = new JsonObject
                {
                    ["type"] = "object",
                    ["title"] = "permissions",
                    ["properties"] = new JsonObject
                    {
                        ["default_mode"] = new JsonObject
                        {
                            ["type"] = "string",
                            ["title"] = "default mode",
                            ["description"] = "Default approval mode applied to new agent sessions.",
                            ["enum"] = new JsonArray([.. ApprovalModes.All.Select(m => (JsonNode)m)]),
                            ["default"] = ApprovalModes.Manual,
                        },
                    },
                    ["required"] = new JsonArray("default_mode"),
                    ["additionalProperties"] = false,
                },
                ["providers"] = new JsonObject
                {
                    ["type"] = "object",
                    ["title"] = "providers",
                    ["description"] = "Per-provider credentials and settings.",
                    ["properties"] = providers,
                    ["additionalProperties"] = false,
                },
            },
            ["required"] = new JsonArray("permissions", "providers"),
            ["additionalProperties"] = false,
        };
    }

    /// <summary>The value the entry starts with when the engine holds none: manual mode, no provider settings.</summary>
    public static JsonObject InitialValue() => new()
    {
        ["permissions"] = new JsonObject { ["default_mode"] = ApprovalModes.Manual },
        ["providers"] = new JsonObject(),
    };

    private static JsonObject DefaultSlice(ProviderDeclaration declaration)
    {
        var apiUrl = new JsonObject { ["type"] = "string", ["title"] = "api url" };
        if (declaration.DefaultApiUrl is { } url)
        {
            apiUrl["default"] = url;
        }
        var maxTokens = new JsonObject { ["type"] = "integer", ["title"] = "max tokens", ["minimum"] = 1, ["maximum"] = 1_048_576 };
        if (declaration.Defaults is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("max_tokens", out var max) && max.ValueKind == JsonValueKind.Number)
        {
            maxTokens["default"] = JsonNode.Parse(max.GetRawText());
        }
        return new JsonObject
        {
            ["type"] = "object",
            ["title"] = string.IsNullOrWhiteSpace(declaration.DisplayName) ? declaration.Id : declaration.DisplayName,
            ["properties"] = new JsonObject
            {
                ["api_key"] = new JsonObject { ["type"] = "string", ["title"] = "api key", ["format"] = "password", ["writeOnly"] = true },
                ["api_url"] = apiUrl,
                ["max_tokens"] = maxTokens,
            },
            ["additionalProperties"] = false,
        };
    }
}
