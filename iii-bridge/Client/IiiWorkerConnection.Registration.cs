using System.Reflection;
using System.Runtime.InteropServices;
using Harness.Bridge.Functions;
using Harness.Bridge.Protocol;
using Harness.Serialization;

namespace Harness.Bridge.Client;

/// <summary>
/// What this connection publishes, and its replay: the engine keeps nothing for a dead connection, so every new
/// socket re-sends the worker metadata, trigger types, functions and triggers (same ids), then calls queued meanwhile.
/// </summary>
internal sealed partial class IiiWorkerConnection
{
    private static readonly string SdkVersion =
        typeof(IiiWorkerConnection).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private readonly List<IiiTriggerRegistration> _triggers = [];
    private readonly Dictionary<string, (RegisterTriggerTypeMessage Message, IIiiTriggerTypeHandler Handler)> _triggerTypes = new(StringComparer.Ordinal);

    /// <summary>Functions of this connection alone (not in the catalog), e.g. the bridge's own trigger handlers.</summary>
    private readonly Dictionary<string, BridgeFunctionDescriptor> _own = new(StringComparer.Ordinal);

    /// <summary>Catalog functions this connection publishes, in catalog order, then its own.</summary>
    public IReadOnlyList<BridgeFunctionDescriptor> Functions
    {
        get
        {
            var published = catalog.All.Where(f => publishes(f.Id)).ToList();
            lock (_gate)
            {
                published.AddRange(_own.Values);
            }
            return published;
        }
    }

    /// <summary>Adds a function served only on this connection (published now if connected, and on every replay).</summary>
    public void AddOwnFunction(BridgeFunctionDescriptor function)
    {
        lock (_gate)
        {
            _own[function.Id] = function;
            _current?.Send(IiiMessageSerializer.Serialize(ToMessage(function)));
        }
    }

    /// <summary>
    /// Re-sends the registration of every function and trigger type of ours the engine no longer lists (a sibling
    /// bridge that registered the same id after us disconnected, and the engine removed the id with it).
    /// Returns how many ids were re-registered; 0 while disconnected (the next connection replays everything).
    /// </summary>
    public int RepublishMissing(IReadOnlySet<string> registeredFunctions, IReadOnlySet<string>? registeredTriggerTypes)
    {
        var missing = Functions.Where(f => !registeredFunctions.Contains(f.Id)).ToList();
        var count = 0;
        lock (_gate)
        {
            if (_current is not { } connection)
            {
                return 0;
            }
            foreach (var function in missing)
            {
                count += connection.Send(IiiMessageSerializer.Serialize(ToMessage(function))) ? 1 : 0;
            }
            if (registeredTriggerTypes is not null)
            {
                foreach (var (message, _) in _triggerTypes.Values.Where(t => !registeredTriggerTypes.Contains(t.Message.Id)))
                {
                    count += connection.Send(IiiMessageSerializer.Serialize(message)) ? 1 : 0;
                }
            }
        }
        return count;
    }

    /// <summary>True when this connection has registered trigger types (only then is the engine asked for its list).</summary>
    public bool ProvidesTriggerTypes
    {
        get
        {
            lock (_gate)
            {
                return _triggerTypes.Count > 0;
            }
        }
    }

    public IReadOnlyList<IiiTriggerRegistration> Triggers
    {
        get
        {
            lock (_gate)
            {
                return [.. _triggers];
            }
        }
    }

    public IiiTriggerRegistration RegisterTrigger(IiiTriggerRegistration registration)
    {
        lock (_gate)
        {
            _triggers.RemoveAll(t => t.Id == registration.Id);
            _triggers.Add(registration);
            _current?.Send(IiiMessageSerializer.Serialize(ToMessage(registration)));
        }
        return registration;
    }

    public bool UnregisterTrigger(string id)
    {
        lock (_gate)
        {
            var found = _triggers.Find(t => t.Id == id);
            if (found is null)
            {
                return false;
            }
            _triggers.Remove(found);
            _current?.Send(IiiMessageSerializer.Serialize(new UnregisterTriggerMessage { Id = id, TriggerType = found.TriggerType }));
            return true;
        }
    }

    public void RegisterTriggerType(RegisterTriggerTypeMessage message, IIiiTriggerTypeHandler handler)
    {
        lock (_gate)
        {
            _triggerTypes[message.Id] = (message, handler);
            _current?.Send(IiiMessageSerializer.Serialize(message));
        }
    }

    /// <summary>Publishes (or re-publishes) a function on the live socket, if there is one.</summary>
    public void Publish(BridgeFunctionDescriptor function)
    {
        lock (_gate)
        {
            _current?.Send(IiiMessageSerializer.Serialize(ToMessage(function)));
        }
    }

    public void Unpublish(string functionId)
    {
        lock (_gate)
        {
            _current?.Send(IiiMessageSerializer.Serialize(new UnregisterFunctionMessage { Id = functionId }));
        }
    }

    /// <summary>HEAD order, valid on 0.22.1 too: reattach, worker metadata, trigger types, functions, triggers, then queued calls.</summary>
    private void Open(IiiConnection connection)
    {
        var functions = Functions;
        lock (_gate)
        {
            if (_workerId is not null)
            {
                connection.Send(IiiMessageSerializer.Serialize(new ReattachMessage { PreviousWorkerId = _workerId, ReattachToken = _reattachToken }));
            }
            connection.Send(IiiMessageSerializer.Serialize(new InvokeFunctionMessage
            {
                FunctionId = "engine::workers::register",
                Data = WorkerMetadata(),
                Action = TriggerAction.Void,
            }));
            foreach (var (message, _) in _triggerTypes.Values)
            {
                connection.Send(IiiMessageSerializer.Serialize(message));
            }
            foreach (var function in functions)
            {
                connection.Send(IiiMessageSerializer.Serialize(ToMessage(function)));
            }
            foreach (var trigger in _triggers)
            {
                connection.Send(IiiMessageSerializer.Serialize(ToMessage(trigger)));
            }
            SendQueuedCalls(connection);
            _current = connection;
        }
        LogConnected(logger, Name, options.EngineUrl!, connection.Serial, functions.Count);
    }

    private static RegisterFunctionMessage ToMessage(BridgeFunctionDescriptor function) => new()
    {
        Id = function.Id,
        Description = function.Description,
        RequestFormat = function.RequestFormat?.DeepClone(),
        ResponseFormat = function.ResponseFormat?.DeepClone(),
        Metadata = function.Metadata,
    };

    private static RegisterTriggerMessage ToMessage(IiiTriggerRegistration trigger) => new()
    {
        Id = trigger.Id,
        TriggerType = trigger.TriggerType,
        FunctionId = trigger.FunctionId,
        Config = trigger.Config,
        Metadata = trigger.Metadata,
    };

    private JsonElement WorkerMetadata() => WireJson.ToElement(new JsonObject
    {
        ["runtime"] = "dotnet",
        ["version"] = SdkVersion,
        ["name"] = Name,
        ["description"] = description,
        ["os"] = $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()})",
        // engine::workers::list hides connected workers without a pid.
        ["pid"] = Environment.ProcessId,
        ["isolation"] = null,
        ["telemetry"] = new JsonObject
        {
            ["language"] = "en-US",
            ["project_name"] = "harness",
            ["framework"] = "iii-dotnet",
        },
    });
}
