using Harness.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Harness.Tests.Infrastructure;

/// <summary>An external Orleans client of a PostgreSQL-clustered harness (what a bridge or a CLI would be).</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Connects, retrying while the silos are still starting (bounded).</summary>
    /// <param name="gatewayPort">Pin the client to this one gateway (static clustering) instead of all of them.</param>
    public static async Task<ClusterClient> ConnectAsync(string clusterId, string serviceId, string connectionString, int seconds = 60, int? gatewayPort = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var host = new HostBuilder()
                .UseOrleansClient(c =>
                {
                    c.Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = serviceId; });
                    if (gatewayPort is { } port)
                    {
                        c.UseStaticClustering(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
                    }
                    else
                    {
                        c.UseAdoNetClustering(o => { o.Invariant = "Npgsql"; o.ConnectionString = connectionString; });
                    }
                })
                .Build();
            try
            {
                await host.StartAsync();
                return new ClusterClient(host);
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                host.Dispose();
                await Task.Delay(500);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The silo may already be dead; nothing to flush.
        }
        _host.Dispose();
    }
}
