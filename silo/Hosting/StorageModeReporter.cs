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
            LogDurable();
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "NON-DURABLE MODE: no ConnectionStrings:harness configured. Using localhost clustering, in-memory grain storage and in-memory reminders; every turn, session and approval is LOST when this process stops. Set ConnectionStrings__harness to a PostgreSQL database prepared with deploy/postgresql/orleans-schema.sql for durability.")]
    private partial void LogNonDurable();

    [LoggerMessage(2, LogLevel.Information, "Durable mode: PostgreSQL clustering, grain storage and reminders; agent events stored with each turn step.")]
    private partial void LogDurable();
}
