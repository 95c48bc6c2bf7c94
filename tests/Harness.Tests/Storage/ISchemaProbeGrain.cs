namespace Harness.Tests.Storage;

/// <summary>Test grain that exercises the ADO.NET grain storage and reminder providers.</summary>
public interface ISchemaProbeGrain : IGrainWithStringKey
{
    /// <summary>Appends an item to the persisted state, writes it and returns the item count.</summary>
    Task<int> Add(string item);

    /// <summary>Clears the persisted state.</summary>
    Task Clear();

    /// <summary>Returns the persisted items.</summary>
    Task<string[]> GetItems();

    /// <summary>Registers a reminder that fires after one period, then every period.</summary>
    Task StartReminder(string name, TimeSpan period);

    /// <summary>Unregisters the reminder if it exists.</summary>
    Task StopReminder(string name);

    /// <summary>How often the reminder fired in this activation.</summary>
    Task<int> GetTicks(string name);
}
