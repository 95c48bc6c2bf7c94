using Harness.Bridge.Client;
using Microsoft.Extensions.Hosting;

namespace Harness.Bridge.Functions;

/// <summary>
/// Registers the <c>harness</c> configuration entry once the bridge is connected, before any provider declares itself
/// (the original registry's <c>init</c>), so the console's configuration form lists the silo's own providers.
/// </summary>
public sealed class HarnessConfigurationStartup(IiiWorkerClient client, HarnessConfigurationPublisher publisher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await client.WaitForRegistrationAsync(stoppingToken);
            await publisher.PublishAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo stopped first.
        }
    }
}
