using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;

namespace Harness.Tests.Silo;

/// <summary>
/// A caller that follows a function's published request schema is not refused for a field the schema left optional:
/// for every function the silo serves, each field validation requires of an empty payload is in the schema's
/// <c>required</c>. Runs against the real silo process, so it covers every function source the host adds.
/// </summary>
public sealed class SchemaRequiredFieldsTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private SiloProcess _silo = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _workspace.WritePermissions("rules:\n  - \"demo::echo\"\n");
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"schema-{id}", $"schema-{id}", PostgresDatabase.ConnectionString, _workspace, Path.Combine(_workspace.Root, "demo"));
        _silo = SiloProcess.Start(settings);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{settings.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        await _silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _silo.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Every_field_an_empty_payload_is_refused_for_is_required_by_the_schema()
    {
        var functions = (await _http.GetFromJsonAsync<JsonArray>("/v1/functions"))!;
        Assert.Contains(functions, f => f!["function_id"]!.GetValue<string>() == "run::start");

        var missing = new List<string>();
        foreach (var function in functions)
        {
            var id = function!["function_id"]!.GetValue<string>();
            if (await RefusedFieldAsync(id) is not { } field || field == "$")
            {
                continue;
            }
            var topLevel = field.Split('.', '[')[0];
            if (!RequiredFields(function["request_format"]).Contains(topLevel))
            {
                missing.Add($"{id}: refuses {{}} for '{field}' but its request schema does not require '{topLevel}'");
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    /// <summary>The field an <c>invalid_payload</c> answer to <c>{}</c> names (as an HTTP 400 error or an <c>{ok:false}</c> result), else null.</summary>
    private async Task<string?> RefusedFieldAsync(string id)
    {
        using var response = await _http.PostAsJsonAsync($"/v1/functions/{id}", new { });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        var error = body?["error"] is JsonObject wire ? wire : body as JsonObject;
        var code = error?["code"]?.GetValue<string>() ?? (error?["error"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null);
        return code == "invalid_payload" ? error!["field"]?.GetValue<string>() ?? "$" : null;
    }

    /// <summary>
    /// Top-level names the schema requires: its own <c>required</c>, all of an <c>allOf</c>, and those every branch of a
    /// <c>oneOf</c>/<c>anyOf</c> requires. A name is also counted when every branch requires something (so <c>{}</c> is
    /// refused by the schema itself, e.g. "<c>browser_id</c> or the <c>body</c> wrapper").
    /// </summary>
    private static HashSet<string> RequiredFields(JsonNode? schema)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema is not JsonObject obj)
        {
            return required;
        }
        if (obj["required"] is JsonArray names)
        {
            required.UnionWith(names.Select(n => n!.GetValue<string>()));
        }
        if (obj["allOf"] is JsonArray all)
        {
            foreach (var part in all)
            {
                required.UnionWith(RequiredFields(part));
            }
        }
        foreach (var key in (ReadOnlySpan<string>)["oneOf", "anyOf"])
        {
            if (obj[key] is JsonArray { Count: > 0 } branches)
            {
                var each = branches.Select(RequiredFields).ToList();
                var common = new HashSet<string>(each[0], StringComparer.Ordinal);
                foreach (var branch in each.Skip(1))
                {
                    common.IntersectWith(branch);
                }
                required.UnionWith(common);
                if (each.All(b => b.Count > 0))
                {
                    required.UnionWith(each.SelectMany(b => b));
                }
            }
        }
        return required;
    }
}
