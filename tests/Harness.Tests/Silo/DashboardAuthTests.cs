using System.Net;
using System.Net.Http.Headers;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;

namespace Harness.Tests.Silo;

public sealed class DashboardAuthTests
{
    [Fact]
    public async Task With_a_dashboard_token_the_dashboard_refuses_requests_without_it()
    {
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules: []\n");
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"dash-{id}", $"dash-{id}", PostgresDatabase.ConnectionString, workspace, workspace.Root);
        await using var silo = SiloProcess.Start(settings, new Dictionary<string, string> { ["Harness__Silo__DashboardToken"] = "s3cret" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{settings.HttpPort}") };
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));

        var anonymous = await http.GetAsync("/dashboard/");
        var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dashboard/") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "nope") } });
        var right = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/dashboard/") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }
}
