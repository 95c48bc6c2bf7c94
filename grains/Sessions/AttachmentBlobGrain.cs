using Harness.Hosting;

namespace Harness.Sessions;

/// <summary>Stored bytes of one attachment.</summary>
public sealed class AttachmentBlobState
{
    [System.Text.Json.Serialization.JsonPropertyName("data")] public byte[]? Data { get; set; }
}

/// <inheritdoc cref="IAttachmentBlobGrain"/>
[GrainType("session-attachment")]
public sealed class AttachmentBlobGrain(
    [PersistentState("session-attachment", HarnessStorage.Name)] IPersistentState<AttachmentBlobState> state) : Grain, IAttachmentBlobGrain
{
    public async Task Write(byte[] data)
    {
        state.State.Data = data;
        await state.WriteStateAsync();
    }

    public Task<byte[]?> Read() => Task.FromResult(state.State.Data);

    public async Task Clear()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }
        state.State = new AttachmentBlobState();
        DeactivateOnIdle();
    }
}
