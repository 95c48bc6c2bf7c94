using Harness.Tests.Infrastructure;
using Npgsql;

namespace Harness.Benchmarks.Peers;

/// <summary>The real silo host as a child process in its durable default configuration, on one peer database.</summary>
public static class HarnessSilo
{
    /// <summary>The scripted model of the compared turn: round 1 calls demo::echo (in-process, instant), round 2 answers.</summary>
    public const string Script = """
        {"rounds":[
          {"events":[{"type":"function_call","id":"call-1","function":"demo::echo","payload":{"text":"ping"}},{"type":"stop","stop_reason":"function_call"}]},
          {"events":[{"type":"text","text":"echo answered: the durable turn works"},{"type":"stop","stop_reason":"end"}]}
        ]}
        """;

    public const string Model = "peer-turn";

    public static async Task ApplySchemaAsync(string connectionString)
    {
        var script = await File.ReadAllTextAsync(Path.Combine(NodePackages.RepositoryRoot, "deploy", "postgresql", "orleans-schema.sql"));
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var command = data.CreateCommand(script);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<(SiloProcess Silo, SiloSettings Settings)> StartAsync(string connectionString, TestWorkspace workspace, IReadOnlyDictionary<string, string>? extra = null)
    {
        workspace.WritePermissions("rules:\n  - \"demo::*\"\n");
        workspace.WriteScript(Model, Script);
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"peer-{id}", $"peer-{id}", connectionString, workspace, Path.Combine(workspace.Root, "demo"));
        var environment = new Dictionary<string, string>
        {
            // SiloSettings is tuned for the crash tests (2 s); the comparison runs the shipped default.
            ["Harness__Turn__WakeReminderPeriod"] = "00:00:05",
            ["Logging__LogLevel__Harness"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var silo = SiloProcess.Start(settings, environment);
        try
        {
            await silo.WaitHealthyAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        return (silo, settings);
    }
}
