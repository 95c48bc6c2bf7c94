using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Harness.Silo.Auth;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;

namespace Harness.Tests.Silo.Auth;

/// <summary>A silo bound beyond loopback: it will not start without a key, and a client on another address needs one.</summary>
public sealed class ApiExposureTests
{
    /// <summary>An IPv4 address of this machine that is not loopback (the test binds the silo to it and calls from it).</summary>
    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("this machine has no non-loopback IPv4 address to bind a test silo to");

    [Fact]
    public async Task Bound_beyond_loopback_without_a_key_the_silo_refuses_to_start_and_says_why()
    {
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules: []\n");
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"exp-{id}", $"exp-{id}", PostgresDatabase.ConnectionString, workspace, workspace.Root);
        await using var silo = SiloProcess.Start(settings, new Dictionary<string, string> { ["Urls"] = $"http://0.0.0.0:{settings.HttpPort}" });

        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the silo kept running");
        Assert.Equal(78, silo.ExitCode);
        Assert.Contains($"listens beyond loopback (http://0.0.0.0:{settings.HttpPort})", silo.Output);
        Assert.Contains("Harness:Auth:Keys", silo.Output);
    }

    [Fact]
    public async Task A_client_on_a_non_loopback_address_is_refused_without_a_key_and_served_with_one()
    {
        var address = NonLoopbackAddress();
        using var workspace = new TestWorkspace();
        workspace.WritePermissions("rules: []\n");
        var id = Guid.NewGuid().ToString("N")[..10];
        var settings = new SiloSettings($"exp-{id}", $"exp-{id}", PostgresDatabase.ConnectionString, workspace, workspace.Root);
        var key = ApiKeyHash.NewKey();
        var baseUrl = $"http://{address}:{settings.HttpPort}";
        await using var silo = SiloProcess.Start(settings, new Dictionary<string, string>
        {
            ["Urls"] = baseUrl,
            ["Harness__Auth__Keys__remote__Hash"] = ApiKeyHash.Compute(key),
            ["Harness__Auth__Keys__remote__Scopes__0"] = ApiScopes.Sessions,
        });
        await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90), baseUrl);
        // The client socket is bound to the same non-loopback address, so the silo sees a non-loopback peer.
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(address, 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };

        using var anonymous = await http.PostAsync("/v1/functions/turn::get_state", JsonContent.Create(new { session_id = "s" }));
        using var events = await http.GetAsync("/v1/sessions/s/events", HttpCompletionOption.ResponseHeadersRead);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var served = await http.PostAsync("/v1/functions/turn::get_state", JsonContent.Create(new { session_id = "s" }));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, events.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
