using Harness.Providers;
using Harness.Silo.Chat;
using Microsoft.Extensions.Configuration;

namespace Harness.Tests.Silo;

/// <summary>
/// The silo's default HTTP endpoint must not sit on a port a local model server or the iii engine uses by default:
/// llama.cpp discovery at 127.0.0.1:8080 once queried the silo itself.
/// </summary>
public sealed class DefaultPortsTests
{
    /// <summary>iii engine: HTTP 3111, streams 3112, 3113, worker socket 49134.</summary>
    private static readonly int[] IiiPorts = [3111, 3112, 3113, 49134];

    private static IEnumerable<int> LocalModelServerPorts() =>
        ProviderProfile.BuiltIn.Select(p => new Uri(p.DefaultBaseUrl)).Where(u => u.IsLoopback).Select(u => u.Port);

    [Fact]
    public void The_default_http_port_clashes_with_no_local_model_server_nor_the_iii_engine()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var port = new Uri(settings["Urls"]!.Split(';')[0]).Port;

        Assert.Contains(1234, LocalModelServerPorts());   // LM Studio
        Assert.Contains(8080, LocalModelServerPorts());   // llama.cpp
        Assert.DoesNotContain(port, LocalModelServerPorts());
        Assert.DoesNotContain(port, IiiPorts);
    }

    [Fact]
    public void The_chat_connects_to_the_default_http_port()
    {
        var settings = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();

        Assert.Equal(new Uri(settings["Urls"]!.Split(';')[0]).Port, new ChatOptions().Url.Port);
    }
}
