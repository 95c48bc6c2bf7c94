namespace Harness.Silo.Hosting;

/// <summary>Says loudly at start-up when the silo runs without durable storage.</summary>
public sealed partial class StorageModeReporter(IConfiguration configuration, ILogger<StorageModeReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = configuration.GetConnectionString("harness");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            LogNonDurable();
        }
        else
        {
            var events = configuration.GetSection(HarnessEventOptions.Section).Get<HarnessEventOptions>() ?? new HarnessEventOptions();
            LogDurable(events.UsesAdoNet(connectionString)
                ? "PostgreSQL (ADO.NET streams)"
                : "memory streams (NOT durable: events in flight are lost with their silo)");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "NON-DURABLE MODE: no ConnectionStrings:harness configured. Using localhost clustering, in-memory grain storage and in-memory reminders; every turn, session and approval is LOST when this process stops. Set ConnectionStrings__harness to a PostgreSQL database prepared with deploy/postgresql/orleans-schema.sql for durability.")]
    private partial void LogNonDurable();

    [LoggerMessage(2, LogLevel.Information, "Durable mode: PostgreSQL clustering, grain storage and reminders; agent events over {EventTransport}.")]
    private partial void LogDurable(string eventTransport);
}
