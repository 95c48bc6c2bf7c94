namespace Harness.Providers.Scripted;

/// <summary>Bound from <c>Harness:Providers:Scripted</c>.</summary>
public sealed class ScriptedProviderOptions
{
    /// <summary>Folder of <c>&lt;model&gt;.json</c> scripts. Default null: only the built-in <c>demo</c> script exists.</summary>
    public string? Directory { get; set; }
}
