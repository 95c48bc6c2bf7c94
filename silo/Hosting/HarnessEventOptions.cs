namespace Harness.Silo.Hosting;

/// <summary>
/// How agent events travel to in-cluster subscribers (Orleans stream subscribers, the SSE endpoint), bound from
/// <c>Harness:Events</c>. The same values must be given to the silos and to every client that subscribes.
/// </summary>
public sealed class HarnessEventOptions
{
    public const string Section = "Harness:Events";

    /// <summary>ADO.NET streams: a durable queue in PostgreSQL, delivered by the silo that owns the queue.</summary>
    public const string AdoNet = "adonet";

    /// <summary>Orleans memory streams: queued in silo memory, lost with the silo that holds them.</summary>
    public const string Memory = "memory";

    /// <summary>
    /// <see cref="AdoNet"/> or <see cref="Memory"/>. Default: <see cref="AdoNet"/> when a PostgreSQL connection string
    /// is configured, else <see cref="Memory"/> (<see cref="AdoNet"/> without a connection string is an error).
    /// </summary>
    public string? Transport { get; set; }

    /// <summary>How often each queue's pulling agent polls PostgreSQL: the added delivery latency. Default 50 ms.</summary>
    public TimeSpan PollingPeriod { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Queues the sessions are hashed onto (a session's events always share one queue, which keeps them in order).
    /// Silos share the queues out; each polls at <see cref="PollingPeriod"/>. Default 4.
    /// </summary>
    public int Queues { get; set; } = 4;

    /// <summary>
    /// A read but unconfirmed event is read again after this long: bounds the delay of events whose delivering silo
    /// died before confirming them (they come again, as duplicates of any already delivered). Whole seconds. Default 5 s.
    /// </summary>
    public TimeSpan RedeliveryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads of one event before it goes to the dead letters. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>An event not delivered within this long goes to the dead letters. Default 10 min.</summary>
    public TimeSpan ExpiryTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True for ADO.NET streams; throws on a transport that cannot work with the given connection string.</summary>
    public bool UsesAdoNet(string? connectionString)
    {
        var hasDatabase = !string.IsNullOrWhiteSpace(connectionString);
        switch (Transport?.Trim().ToLowerInvariant())
        {
            case null or "":
                return hasDatabase;
            case Memory:
                return false;
            case AdoNet when hasDatabase:
                return true;
            case AdoNet:
                throw new InvalidOperationException(
                    $"{Section}:Transport is '{AdoNet}' but ConnectionStrings:harness is empty: ADO.NET streams need PostgreSQL.");
            default:
                throw new InvalidOperationException(
                    $"{Section}:Transport is '{Transport}'; expected '{AdoNet}' or '{Memory}'.");
        }
    }
}
