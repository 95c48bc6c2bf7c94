namespace Harness.Tests.Storage;

[GrainType("schema-probe")]
public sealed class SchemaProbeGrain(
    [PersistentState("probe", PostgresTestCluster.StorageName)] IPersistentState<SchemaProbeState> state)
    : Grain, ISchemaProbeGrain, IRemindable
{
    private readonly Dictionary<string, int> _ticks = [];

    public async Task<int> Add(string item)
    {
        state.State.Items.Add(item);
        await state.WriteStateAsync();
        return state.State.Items.Count;
    }

    public Task Clear() => state.ClearStateAsync();

    public Task<string[]> GetItems() => Task.FromResult(state.State.Items.ToArray());

    public async Task StartReminder(string name, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(name, period, period);

    public async Task StopReminder(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<int> GetTicks(string name) => Task.FromResult(_ticks.GetValueOrDefault(name));

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _ticks[reminderName] = _ticks.GetValueOrDefault(reminderName) + 1;
        return Task.CompletedTask;
    }
}
