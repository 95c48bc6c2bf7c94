using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Silo;

/// <summary>The real silo host over HTTP: function catalog, agent events as SSE, dashboard, durable PostgreSQL mode.</summary>
public sealed class SiloHttpApiTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private SiloProcess _silo = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _workspace.WritePermissions("rules:\n  - \"demo::echo\"\n");
        _workspace.WriteScript("http", Rounds($"{Call("e1", "demo::echo", """{"text":"hey"}""")}", Text("echoed")));
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"http-{id}", $"http-{id}", PostgresDatabase.ConnectionString, _workspace, Path.Combine(_workspace.Root, "demo"));
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

    private async Task<JsonElement> CallAsync(string functionId, object payload, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await _http.PostAsJsonAsync($"/v1/functions/{functionId}", payload);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{functionId}: {(int)response.StatusCode} {body}");
        return WireJson.Parse(body);
    }

    [Fact]
    public async Task A_turn_runs_over_http_and_its_events_stream_as_server_sent_events()
    {
        var sid = Runs.NewSession();
        using var events = await _http.GetAsync($"/v1/sessions/{sid}/events?until=agent_end", HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await events.Content.ReadAsStreamAsync());
        Assert.Equal(": subscribed", await reader.ReadLineAsync());

        var started = await CallAsync("run::start", new
        {
            session_id = sid, provider = "scripted", model = "http",
            messages = new[] { new { role = "user", content = new[] { new { type = "text", text = "hi" } }, timestamp = 1 } },
        });

        Assert.True(started.GetProperty("started").GetBoolean());
        var types = new List<string>();
        var readAll = Task.Run(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    types.Add(line["event: ".Length..]);
                }
            }
        });
        Assert.Same(readAll, await Task.WhenAny(readAll, Task.Delay(TimeSpan.FromSeconds(30))));
        Assert.Equal("agent_end", types[^1]);
        Assert.Contains("function_execution_end", types);
        var state = await CallAsync("turn::get_state", new { session_id = sid });
        Assert.Equal("stopped", state.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Bad_payloads_get_400_with_the_field_named()
    {
        var noSession = await CallAsync("run::start", new { provider = "scripted", model = "http" }, HttpStatusCode.BadRequest);
        var badType = await CallAsync("run::start", new { session_id = "s", provider = "scripted", model = "http", max_turns = "many" }, HttpStatusCode.BadRequest);
        var resolve = await CallAsync("approval::resolve", new { session_id = "s", function_call_id = "c", decision = "perhaps" });

        Assert.Equal("session_id", noSession.GetProperty("error").GetProperty("field").GetString());
        Assert.Equal("invalid_payload", badType.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("max_turns", badType.GetProperty("error").GetProperty("message").GetString());
        Assert.False(resolve.GetProperty("ok").GetBoolean());
        Assert.Equal("decision", resolve.GetProperty("field").GetString());
        var unknown = await _http.PostAsJsonAsync("/v1/functions/nope::nope", new { });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Function_catalog_lists_the_harness_functions_with_schemas()
    {
        var list = WireJson.Parse(await _http.GetStringAsync("/v1/functions"));
        var ids = list.EnumerateArray().Select(f => f.GetProperty("function_id").GetString()).ToList();

        Assert.Contains("run::start", ids);
        Assert.Contains("approval::resolve", ids);
        Assert.Contains("models::list", ids);
        Assert.Contains("context-compaction::compact_now", ids);
        var start = list.EnumerateArray().Single(f => f.GetProperty("function_id").GetString() == "run::start");
        Assert.True(start.GetProperty("request_format").GetProperty("properties").TryGetProperty("session_id", out _));
    }

    [Fact]
    public async Task Dashboard_answers_on_loopback()
    {
        var page = await _http.GetAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Model_side_functions_list_providers_and_models_configure_keys_without_echoing_them_and_enforce_budgets()
    {
        var providers = await CallAsync("harness::provider::list", new { });
        var ids = providers.GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "anthropic", "openai", "kimi", "lmstudio", "llamacpp", "scripted" }, ids.ToHashSet());

        var configured = await CallAsync("harness::provider::configure", new { provider = "openai", api_key = "sk-secret-123" });
        Assert.True(configured.GetProperty("configured").GetBoolean());
        Assert.DoesNotContain("sk-secret-123", configured.GetRawText());

        await CallAsync("models::refresh", new { });
        var models = await CallAsync("models::list", new { provider = "scripted" });
        Assert.Contains(models.GetProperty("models").EnumerateArray(), m => m.GetProperty("id").GetString() == "http");

        await CallAsync("budget::configure", new { budget_id = "agent:a1", period = "day", ceiling_tokens = 100 });
        await CallAsync("budget::record", new { budget_id = "agent:a1", tokens_in = 150, record_id = "r1" });
        var check = await CallAsync("budget::check", new { budget_id = "agent:a1", estimated_tokens = 1 });
        Assert.False(check.GetProperty("allowed").GetBoolean());
        Assert.Equal("ceiling_exceeded", check.GetProperty("reason").GetString());
        var missing = await CallAsync("budget::check", new { estimated_tokens = 1 }, HttpStatusCode.BadRequest);
        Assert.Equal("budget_id", missing.GetProperty("error").GetProperty("field").GetString());
    }

    // A caller that follows a function's published request schema is not refused for a field the schema left optional:
    // for every function the silo serves, each field validation requires of an empty payload is in the schema.
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
