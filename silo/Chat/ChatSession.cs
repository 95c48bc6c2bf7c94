using System.Text.Json;
using Harness.Approvals;
using Harness.Compaction;
using Harness.Messages;
using Harness.Models;
using Harness.Serialization;
using Harness.Sessions;
using Harness.Turns;

namespace Harness.Silo.Chat;

/// <summary>
/// The command loop: a plain line is a user message (<c>run::start</c>, or <c>session-inbox::push</c> as steering
/// while a run is in flight); slash commands approve, deny, compact, switch model, abort and quit.
/// </summary>
public sealed class ChatSession(ChatOptions options, HarnessApiClient api, ChatConsole console, ChatRenderer renderer)
{
    private const string Help = """
        commands:
          <text>                 send a message (steers the running turn when one is in flight)
          /followup <text>       queue a message for after the running turn
          /approve <call id>     allow a pending function call
          /deny <call id> [why]  deny a pending function call
          /abort                 abort the running turn
          /compact               summarise the session now
          /models                list the models in the catalog
          /model <id>            use another model for the next run
          /state                 show the turn state and pending approvals
          /quit                  leave (the session stays in the cluster)
        """;

    private string _model = options.Model;
    private string _provider = options.Provider;

    public async Task<int> RunAsync(TextReader input, CancellationToken cancellationToken)
    {
        console.Line($"harness chat: session {options.SessionId}, model {_model} ({_provider}) at {options.Url}. /help for commands.");
        await TryAsync(() => ShowStateAsync(announceIdle: false, cancellationToken));
        while (!cancellationToken.IsCancellationRequested && await input.ReadLineAsync(cancellationToken) is { } raw)
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line is "/quit" or "/exit")
            {
                console.Line("bye");
                return 0;
            }
            await TryAsync(() => HandleAsync(line, cancellationToken));
        }
        return 0;
    }

    /// <summary>Re-reads the turn state (after a reconnect: events published meanwhile were not replayed).</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) => TryAsync(() => ShowStateAsync(announceIdle: false, cancellationToken));

    private Task HandleAsync(string line, CancellationToken cancellationToken)
    {
        if (!line.StartsWith('/'))
        {
            return SendAsync(line, cancellationToken);
        }
        var parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var argument = parts.Length > 1 ? parts[1] : null;
        var rest = parts.Length > 1 ? line[(line.IndexOf(' ') + 1)..].Trim() : null;
        return (parts[0], argument) switch
        {
            ("/help", _) => Say(Help.TrimEnd()),
            ("/approve", { } id) => ResolveAsync(id, ApprovalDecisions.Allow, null, cancellationToken),
            ("/deny", { } id) => ResolveAsync(id, ApprovalDecisions.Deny, parts.Length > 2 ? parts[2] : null, cancellationToken),
            ("/followup", not null) => PushAsync(InboxNames.Followup, rest!, cancellationToken),
            ("/abort", _) => AbortAsync(cancellationToken),
            ("/compact", _) => CompactAsync(cancellationToken),
            ("/models", _) => ListModelsAsync(cancellationToken),
            ("/model", { } id) => SwitchModelAsync(id, cancellationToken),
            ("/state", _) => ShowStateAsync(announceIdle: true, cancellationToken),
            _ => Say($"[error] unknown command or missing argument: {line} (/help lists the commands)"),
        };
    }

    private async Task SendAsync(string text, CancellationToken cancellationToken)
    {
        var request = new RunStartRequest
        {
            SessionId = options.SessionId,
            MessageId = $"chat-{Guid.NewGuid():N}",
            Provider = _provider,
            Model = _model,
            Messages = [AgentMessage.User(text, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())],
        };
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var started = await api.CallAsync<RunStartResult>("run::start", request, cancellationToken);
            if (started.Started)
            {
                return;
            }
            if (started.Reason != RunStartResult.SessionBusy)
            {
                console.Line($"[error] run not started: {started.Reason}");
                return;
            }
            var view = await GetStateAsync(cancellationToken);
            if (view is null || !TurnStates.IsTerminal(view.State))
            {
                await PushAsync(InboxNames.Steering, text, cancellationToken);
                return;
            }
            // The previous run is stopped but its last step is still finishing: try again in a moment.
            await Task.Delay(100, cancellationToken);
        }
        console.Line("[error] the session stayed busy; message not sent");
    }

    private async Task PushAsync(string inbox, string text, CancellationToken cancellationToken)
    {
        var message = AgentMessage.User(text, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var pushed = await api.CallAsync("session-inbox::push", new InboxPushRequest { SessionId = options.SessionId, Name = inbox, Message = message }, cancellationToken, retry: false);
        var depth = pushed.TryGetProperty("depth", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt32() : 0;
        console.Line(inbox == InboxNames.Steering
            ? $"[queued as steering ({depth} waiting): the running turn reads it at its next step]"
            : $"[queued as followup ({depth} waiting): runs after the current turn]");
    }

    private async Task ResolveAsync(string callId, string decision, string? reason, CancellationToken cancellationToken)
    {
        var result = await api.CallAsync<ApprovalResolveResult>("approval::resolve",
            new ApprovalResolveRequest { SessionId = options.SessionId, FunctionCallId = callId, Decision = decision, Reason = reason }, cancellationToken);
        console.Line(result.Ok
            ? $"[{(decision == ApprovalDecisions.Allow ? "approved" : "denied")} {callId}]"
            : $"[error] {result.Error}: {result.Message}");
    }

    private async Task AbortAsync(CancellationToken cancellationToken)
    {
        var result = await api.CallAsync<RunAbortResult>("run::abort", new SessionRequest { SessionId = options.SessionId }, cancellationToken);
        console.Line(result.Aborted ? "[aborted]" : $"[nothing to abort: {result.State ?? "no run yet"}]");
    }

    private async Task CompactAsync(CancellationToken cancellationToken)
    {
        var result = await api.CallAsync<CompactionOutcome>("context-compaction::compact_session",
            new CompactSessionRequest { SessionId = options.SessionId, Model = new CompactionModel { Id = _model, ProviderId = _provider } }, cancellationToken);
        console.Line(result.Status == CompactionOutcome.Ok
            ? $"[compact] ok: {result.TokensBefore} tokens summarised"
            : $"[compact] {result.Status}{(result.Message is null ? "" : $": {result.Message}")}");
    }

    private async Task ListModelsAsync(CancellationToken cancellationToken)
    {
        var list = await api.CallAsync<ModelsCatalogList>("models::list", new { }, cancellationToken);
        if (list.Models.Count == 0)
        {
            console.Line("[models] the catalog is empty; asking the providers (models::refresh)…");
            await api.CallAsync("models::refresh", new { }, cancellationToken, retry: false);
            list = await api.CallAsync<ModelsCatalogList>("models::list", new { }, cancellationToken);
        }
        foreach (var model in list.Models.OrderBy(m => m.Provider).ThenBy(m => m.Id))
        {
            var current = model.Id == _model && model.Provider == _provider ? " *" : "";
            console.Line($"  {model.Id} ({model.Provider}{(model.ContextWindow is { } w ? $", {w:N0} tokens" : "")}){current}");
        }
    }

    private async Task SwitchModelAsync(string model, CancellationToken cancellationToken)
    {
        var list = await api.CallAsync<ModelsCatalogList>("models::list", new { }, cancellationToken);
        var match = list.Models.FirstOrDefault(m => m.Id == model && m.Provider == _provider) ?? list.Models.FirstOrDefault(m => m.Id == model);
        _model = model;
        if (match is null)
        {
            console.Line($"[model] {model} is not in the catalog; next runs try it with provider {_provider}");
            return;
        }
        _provider = match.Provider;
        console.Line($"[model] next runs use {_model} ({_provider})");
    }

    private async Task ShowStateAsync(bool announceIdle, CancellationToken cancellationToken)
    {
        var view = await GetStateAsync(cancellationToken);
        if (view is null)
        {
            if (announceIdle)
            {
                console.Line("[state] no run yet");
            }
            return;
        }
        renderer.ShowState(view, announceIdle);
    }

    private async Task<TurnStateView?> GetStateAsync(CancellationToken cancellationToken)
    {
        var json = await api.CallAsync("turn::get_state", new SessionRequest { SessionId = options.SessionId }, cancellationToken);
        return json.ValueKind == JsonValueKind.Null ? null : WireJson.Deserialize<TurnStateView>(json);
    }

    private Task Say(string text)
    {
        console.Line(text);
        return Task.CompletedTask;
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (HarnessApiException ex)
        {
            console.Line($"[error] {ex.Code}: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            console.Line($"[error] cannot reach {options.Url}: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            console.Line("[error] the silo did not answer in time");
        }
    }
}
