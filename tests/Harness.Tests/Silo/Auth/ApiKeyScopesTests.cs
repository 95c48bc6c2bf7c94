using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace Harness.Tests.Silo.Auth;

/// <summary>Each scope opens its functions, its SSE stream or the dashboard, and nothing else; no key or a wrong key gets 401.</summary>
public sealed class ApiKeyScopesTests(ApiKeySiloFixture silo) : IClassFixture<ApiKeySiloFixture>
{
    private static readonly object Session = new { session_id = "auth-s1" };

    private async Task<HttpStatusCode> CallAsync(string? key, string functionId, object payload)
    {
        using var http = silo.Client(key);
        using var response = await http.PostAsJsonAsync($"/v1/functions/{functionId}", payload);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> GetAsync(string? key, string path)
    {
        using var http = silo.Client(key);
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    [Fact]
    public async Task The_sessions_scope_runs_and_reads_sessions_and_nothing_else()
    {
        var key = silo.SessionsKey;

        Assert.Equal(HttpStatusCode.OK, await CallAsync(key, "turn::get_state", Session));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(key, "models::list", new { }));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(key, "/v1/sessions/auth-s1/events"));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "approval::resolve", new { session_id = "auth-s1", function_call_id = "c", decision = "allow" }));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "approval::set_mode", new { session_id = "auth-s1", mode = "auto" }));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "harness::provider::configure", new { provider = "openai", api_key = "sk-x" }));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "budget::configure", new { budget_id = "b", period = "day", ceiling_tokens = 1 }));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(key, "/dashboard/"));
    }

    [Fact]
    public async Task The_approvals_scope_resolves_and_changes_permission_settings_and_nothing_else()
    {
        var key = silo.ApprovalsKey;

        Assert.Equal(HttpStatusCode.OK, await CallAsync(key, "approval::resolve", new { session_id = "auth-s1", function_call_id = "c", decision = "allow" }));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(key, "approval::get_settings", Session));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "turn::get_state", Session));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "run::start", new { session_id = "auth-s1", provider = "scripted", model = "auth-text" }));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(key, "/v1/sessions/auth-s1/events"));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "budget::configure", new { budget_id = "b", period = "day", ceiling_tokens = 1 }));
    }

    [Fact]
    public async Task The_admin_scope_administers_providers_budgets_models_and_the_dashboard_and_nothing_else()
    {
        var key = silo.AdminKey;

        Assert.Equal(HttpStatusCode.OK, await CallAsync(key, "harness::provider::configure", new { provider = "openai", api_key = "sk-admin-set" }));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(key, "budget::configure", new { budget_id = "auth-b", period = "day", ceiling_tokens = 10 }));
        Assert.Equal(HttpStatusCode.OK, await CallAsync(key, "models::refresh", new { }));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(key, "/dashboard/"));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "turn::get_state", Session));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync(key, "approval::resolve", new { session_id = "auth-s1", function_call_id = "c", decision = "allow" }));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(key, "/v1/sessions/auth-s1/events"));
    }

    [Fact]
    public async Task Without_a_valid_key_everything_but_healthz_answers_401()
    {
        var wrong = "hk_not-a-configured-key";

        Assert.Equal(HttpStatusCode.OK, await GetAsync(null, "/healthz"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(null, "/v1/functions"));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(null, "turn::get_state", Session));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(wrong, "turn::get_state", Session));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(null, "/v1/sessions/auth-s1/events"));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(wrong, "/dashboard/"));
        // Any valid key may read the catalog.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(silo.ApprovalsKey, "/v1/functions"));
    }

    [Fact]
    public async Task A_refusal_says_what_is_missing_in_the_error_shape_of_the_api()
    {
        using var http = silo.Client(silo.SessionsKey);
        using var forbidden = await http.PostAsJsonAsync("/v1/functions/budget::configure", new { budget_id = "b" });
        using var anonymous = await silo.Client(null).PostAsJsonAsync("/v1/functions/turn::get_state", Session);

        var body = WireJson.Parse(await forbidden.Content.ReadAsStringAsync()).GetProperty("error");
        Assert.Equal("forbidden", body.GetProperty("code").GetString());
        Assert.Contains("'runner' lacks scope 'admin'", body.GetProperty("message").GetString());
        Assert.Equal("unauthenticated", WireJson.Parse(await anonymous.Content.ReadAsStringAsync()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task A_browser_opens_the_dashboard_with_the_key_as_basic_password()
    {
        using var http = silo.Client(null);
        using var challenge = await http.GetAsync("/dashboard/");
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"anyone:{silo.AdminKey}"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/") { Headers = { Authorization = new AuthenticationHeaderValue("Basic", basic) } };
        using var page = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("Basic", challenge.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Keys_never_appear_in_the_silo_log()
    {
        // Every way a key reaches the silo: right and wrong bearer keys, Basic, a refused scope, the SSE stream.
        foreach (var key in silo.AllKeys)
        {
            await CallAsync(key, "turn::get_state", Session);
            await CallAsync(key + "x", "turn::get_state", Session);
            await GetAsync(key, "/v1/sessions/auth-s1/events?until=agent_end");
        }
        await CallAsync(silo.AdminKey, "harness::provider::configure", new { provider = "anthropic", api_key = "sk-ant-never-logged" });

        var log = silo.Silo.Output;
        Assert.Contains("Refused an API key", log);   // the log does record refusals, by address and path
        Assert.Contains("Request starting", log);     // and ASP.NET Core's request lines at Debug
        foreach (var key in silo.AllKeys)
        {
            Assert.DoesNotContain(key, log);
            Assert.DoesNotContain(key[3..20], log);
        }
        Assert.DoesNotContain("sk-ant-never-logged", log);
    }
}
