namespace Harness.Providers;

/// <summary>Registry names of the built-in providers.</summary>
public static class ProviderNames
{
    public const string Anthropic = "anthropic";
    public const string OpenAi = "openai";
    public const string Kimi = "kimi";
    public const string LmStudio = "lmstudio";
    public const string LlamaCpp = "llamacpp";

    public static readonly string[] All = [Anthropic, OpenAi, Kimi, LmStudio, LlamaCpp];
}
