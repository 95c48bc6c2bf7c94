using System.Text.RegularExpressions;

namespace Harness.Providers;

/// <summary>
/// Spec §2.8 <c>decide({provider, model})</c>: an explicit provider wins (lower-cased); an empty provider routes
/// gpt-/oN- models to openai, kimi-/moonshot-v1- to kimi, everything else to anthropic.
/// </summary>
public static partial class ProviderRouter
{
    public static string Decide(string? provider, string? model)
    {
        var p = provider?.Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(p))
        {
            return p;
        }
        var m = model ?? "";
        if (OpenAiModel().IsMatch(m))
        {
            return "openai";
        }
        return KimiModel().IsMatch(m) ? "kimi" : "anthropic";
    }

    [GeneratedRegex("^gpt-|^o\\d-", RegexOptions.IgnoreCase)]
    private static partial Regex OpenAiModel();

    [GeneratedRegex("^kimi-|^moonshot-v1-", RegexOptions.IgnoreCase)]
    private static partial Regex KimiModel();
}
