using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Harness.Providers.Scripted;

/// <summary>Finds the script for a model: <c>&lt;Directory&gt;/&lt;model&gt;.json</c>, else the built-in demo.</summary>
public sealed partial class ScriptLibrary(IOptions<ScriptedProviderOptions> options)
{
    public const string DemoModel = "demo";

    public ProviderScript? Find(string model)
    {
        if (!SafeName().IsMatch(model))
        {
            return null;
        }
        if (options.Value.Directory is { } dir)
        {
            var path = Path.Combine(dir, model + ".json");
            if (File.Exists(path))
            {
                return JsonSerializer.Deserialize<ProviderScript>(File.ReadAllText(path), WireJson.Options)
                    ?? throw new InvalidDataException($"script {path} is empty");
            }
        }
        return model == DemoModel ? Demo : null;
    }

    public IReadOnlyList<string> Models()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal) { DemoModel };
        if (options.Value.Directory is { } dir && System.IO.Directory.Exists(dir))
        {
            names.UnionWith(System.IO.Directory.EnumerateFiles(dir, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>());
        }
        return [.. names];
    }

    /// <summary>The README demo: greet, call <c>demo::echo</c> through agent_trigger, then summarise.</summary>
    private static readonly ProviderScript Demo = JsonSerializer.Deserialize<ProviderScript>("""
        {"rounds":[
          {"events":[
            {"type":"text","text":"Hello! Let me check the bus with demo::echo."},
            {"type":"function_call","id":"demo-call-1","function":"demo::echo","payload":{"text":"ping"}},
            {"type":"usage","input":42,"output":17},
            {"type":"stop","stop_reason":"function_call"}]},
          {"events":[
            {"type":"text","text":"demo::echo answered. The durable turn loop works end to end."},
            {"type":"usage","input":80,"output":12},
            {"type":"stop","stop_reason":"end"}]}
        ]}
        """, WireJson.Options)!;

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SafeName();
}
