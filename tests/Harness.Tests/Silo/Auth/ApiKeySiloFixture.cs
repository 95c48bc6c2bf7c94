using System.Net.Http.Headers;
using Harness.Silo.Auth;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Silo.Auth;

/// <summary>
/// One real silo process with API keys configured (one key per scope, and a chat key with sessions + approvals),
/// ASP.NET Core logging at Debug so a key that reached any log line would show in <see cref="SiloProcess.Output"/>.
/// </summary>
public sealed class ApiKeySiloFixture : IAsyncLifetime
{
    public TestWorkspace Workspace { get; } = new();

    public SiloSettings Settings { get; private set; } = null!;

    public SiloProcess Silo { get; private set; } = null!;

    public string SessionsKey { get; } = ApiKeyHash.NewKey();

    public string ApprovalsKey { get; } = ApiKeyHash.NewKey();

    public string AdminKey { get; } = ApiKeyHash.NewKey();

    public string ChatKey { get; } = ApiKeyHash.NewKey();

    public IEnumerable<string> AllKeys => [SessionsKey, ApprovalsKey, AdminKey, ChatKey];

    public async ValueTask InitializeAsync()
    {
        Workspace.WritePermissions("rules: []\n");
        Workspace.WriteScript("auth-text", Rounds($"{Text("hello with a key")},{Stop("end")}"));
        var id = Guid.NewGuid().ToString("N")[..10];
        Settings = new SiloSettings($"auth-{id}", $"auth-{id}", PostgresDatabase.ConnectionString, Workspace, Path.Combine(Workspace.Root, "demo"));
        var env = new Dictionary<string, string>
        {
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug",
            ["Logging__LogLevel__Harness"] = "Debug",
        };
        AddKey(env, "runner", SessionsKey, ApiScopes.Sessions);
        AddKey(env, "approver", ApprovalsKey, ApiScopes.Approvals);
        AddKey(env, "operator", AdminKey, ApiScopes.Admin);
        AddKey(env, "chat", ChatKey, ApiScopes.Sessions, ApiScopes.Approvals);
        Silo = SiloProcess.Start(Settings, env);
        await Silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
    }

    public async ValueTask DisposeAsync()
    {
        await Silo.DisposeAsync();
        Workspace.Dispose();
    }

    public HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Settings.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return http;
    }

    private static void AddKey(Dictionary<string, string> env, string name, string key, params string[] scopes)
    {
        env[$"Harness__Auth__Keys__{name}__Hash"] = ApiKeyHash.Compute(key);
        for (var i = 0; i < scopes.Length; i++)
        {
            env[$"Harness__Auth__Keys__{name}__Scopes__{i}"] = scopes[i];
        }
    }
}
