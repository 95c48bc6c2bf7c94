namespace Harness.Silo.Chat;

/// <summary>Command line of <c>chat</c>: <c>[--url http://127.0.0.1:8711] [--session id] [--model demo] [--provider scripted]</c>.</summary>
public sealed record ChatOptions
{
    public const string Usage = "usage: [HARNESS_API_KEY=<key>] dotnet run --project silo -- chat [--url http://127.0.0.1:8711] [--session <id>] [--model demo] [--provider scripted]";

    /// <summary>Base address of a running silo's HTTP API. Default <c>http://127.0.0.1:8711</c>.</summary>
    public Uri Url { get; init; } = new("http://127.0.0.1:8711");

    /// <summary>Session to talk to. Default: a new random id.</summary>
    public string SessionId { get; init; } = $"chat-{Guid.NewGuid():N}"[..17];

    /// <summary>Model of the next run (switch with <c>/model</c>). Default <c>demo</c>, the built-in scripted model.</summary>
    public string Model { get; init; } = "demo";

    /// <summary>Provider of the next run. Default <c>scripted</c>.</summary>
    public string Provider { get; init; } = "scripted";

    /// <summary>Environment variable holding the API key the chat sends (a silo with <c>Harness:Auth:Keys</c> needs one with scopes sessions and approvals).</summary>
    public const string ApiKeyVariable = "HARNESS_API_KEY";

    /// <summary>API key sent as <c>Authorization: Bearer</c>; from <see cref="ApiKeyVariable"/>, never from the command line (process listings show it). Default none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Parses the arguments after <c>chat</c>; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static ChatOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ChatOptions { ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } key ? key : null };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"{name} needs a value");
            }
            var value = args[++i];
            options = name switch
            {
                "--url" => options with { Url = Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url : throw new ArgumentException($"--url: '{value}' is not an http(s) URL") },
                "--session" => options with { SessionId = value },
                "--model" => options with { Model = value },
                "--provider" => options with { Provider = value },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }
        return options;
    }
}
