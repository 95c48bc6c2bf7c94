using System.Text.Json;
using Harness.Functions;
using Harness.Serialization;
using Harness.Silo.Hosting;

namespace Harness.Silo.Functions;

/// <summary>
/// Small in-process tools for the README demo and the crash tests: <c>demo::echo</c> returns its text;
/// <c>demo::append_line</c> appends a line to a file in the demo folder (an observable side effect).
/// </summary>
public sealed class DemoFunctions(LocalFunctionRegistry registry, IOptions<HarnessSiloOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.DemoFunctions)
        {
            return Task.CompletedTask;
        }
        registry.Register("demo::echo", (payload, _) => Task.FromResult(WireJson.ToElement(new { text = Field(payload, "text") ?? "" })));
        registry.Register("demo::append_line", AppendLineAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<JsonElement> AppendLineAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var name = Field(payload, "file") ?? throw new FunctionInvocationException("invalid_payload", "file is required");
        if (name.Contains('/') || name.Contains('\\') || name.StartsWith('.'))
        {
            throw new FunctionInvocationException("invalid_payload", "file must be a plain file name");
        }
        Directory.CreateDirectory(options.Value.DemoDirectory);
        var path = Path.Combine(options.Value.DemoDirectory, name);
        await File.AppendAllTextAsync(path, (Field(payload, "line") ?? "") + "\n", cancellationToken);
        var lines = (await File.ReadAllLinesAsync(path, cancellationToken)).Length;
        return WireJson.ToElement(new { ok = true, lines });
    }

    private static string? Field(JsonElement payload, string name) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
