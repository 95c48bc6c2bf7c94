using Harness.Hosting;

namespace Harness.Triggers;

/// <inheritdoc cref="ISessionTriggersGrain"/>
[GrainType("session-triggers")]
public sealed class SessionTriggersGrain(
    [PersistentState("session-triggers", HarnessStorage.Name)] IPersistentState<SessionTriggersState> state) : Grain, ISessionTriggersGrain
{
    private List<SessionTriggerRecord> Records => state.State.Records;

    public async Task Add(SessionTriggerRecord record)
    {
        if (Records.Any(r => r.SubscriptionId == record.SubscriptionId))
        {
            return;  // a retried registration
        }
        Records.Add(record);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SessionTriggerRecord>> List() =>
        Task.FromResult<IReadOnlyList<SessionTriggerRecord>>([.. Records.OrderBy(r => r.CreatedAt)]);

    public async Task<SessionTriggerRecord?> Remove(string subscriptionId)
    {
        var found = Records.Find(r => r.SubscriptionId == subscriptionId);
        if (found is null)
        {
            return null;
        }
        Records.Remove(found);
        await state.WriteStateAsync();
        return found;
    }

    public async Task<SessionTriggerFire?> Fired(string subscriptionId, long now)
    {
        var index = Records.FindIndex(r => r.SubscriptionId == subscriptionId);
        if (index < 0)
        {
            return null;
        }
        var current = Records[index];
        if (current.ExpiresAt is { } expiry && expiry <= now)
        {
            Records.RemoveAt(index);
            await state.WriteStateAsync();
            return null;  // expired before this fire: deliver nothing
        }
        var counted = current with { Fires = current.Fires + 1 };
        var retired = counted.Once || (counted.MaxFires is { } max && counted.Fires >= max);
        if (retired)
        {
            Records.RemoveAt(index);
        }
        else
        {
            Records[index] = counted;
        }
        await state.WriteStateAsync();
        return new SessionTriggerFire { Record = counted, Retired = retired };
    }
}

/// <summary>Stored form: the session's subscriptions in registration order.</summary>
[GenerateSerializer]
public sealed class SessionTriggersState
{
    [Id(0)] public List<SessionTriggerRecord> Records { get; set; } = [];
}
