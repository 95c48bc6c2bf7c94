using System.Text.RegularExpressions;
using Harness.Validation;

namespace Harness.Models;

/// <summary>
/// What a provider worker declares with <c>harness::provider::register</c> (console-and-data §3.4):
/// <c>{id, display_name?, credential_env_var?, config_schema?, defaults?:{api_url, max_tokens, …}, supports_model_listing?}</c>.
/// The id names its functions (<c>provider::&lt;id&gt;::stream</c>, <c>provider::&lt;id&gt;::refresh_models</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed partial record ProviderDeclaration
{
    [Id(0), JsonPropertyName("id")] public string? Id { get; init; }
    [Id(1), JsonPropertyName("display_name")] public string? DisplayName { get; init; }
    [Id(2), JsonPropertyName("credential_env_var")] public string? CredentialEnvVar { get; init; }
    [Id(3), JsonPropertyName("config_schema")] public JsonElement? ConfigSchema { get; init; }
    [Id(4), JsonPropertyName("defaults")] public JsonElement? Defaults { get; init; }
    [Id(5), JsonPropertyName("supports_model_listing")] public bool? SupportsModelListing { get; init; }

    /// <summary>When the registry last accepted this declaration (Unix ms); set by the registry, not the caller.</summary>
    [Id(6), JsonPropertyName("registered_at")] public long RegisteredAt { get; init; }

    /// <summary>Checks the fields and returns the declaration with its id lower-cased (routing is case-insensitive).</summary>
    public ProviderDeclaration Validate()
    {
        var id = Require.NonEmpty(Id, "id");
        if (!IdPattern().IsMatch(id))
        {
            throw new PayloadValidationException("id", "must be letters, digits, '_', '-' or '.', starting with a letter or digit (it becomes provider::<id>::stream)");
        }
        if (CredentialEnvVar is { } variable && !EnvVarPattern().IsMatch(variable))
        {
            throw new PayloadValidationException("credential_env_var", "must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*)");
        }
        if (ConfigSchema is { } schema && schema.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadValidationException("config_schema", "must be an object (a JSON Schema)");
        }
        if (Defaults is { } defaults && defaults.ValueKind != JsonValueKind.Object)
        {
            throw new PayloadValidationException("defaults", "must be an object");
        }
        return this with { Id = id.ToLowerInvariant() };
    }

    /// <summary>The <c>harness::provider::list</c> entry.</summary>
    public ProviderDescriptor ToDescriptor() => new()
    {
        Id = Id!,
        DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? Id! : DisplayName,
        SupportsModelListing = SupportsModelListing ?? false,
    };

    /// <summary><c>defaults.api_url</c> when it is a string.</summary>
    public string? DefaultApiUrl => Defaults is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty("api_url", out var url) && url.ValueKind == JsonValueKind.String
        ? url.GetString()
        : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvVarPattern();
}
