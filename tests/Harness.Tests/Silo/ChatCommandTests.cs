using System.Diagnostics;
using Harness.Tests.Infrastructure;
using Harness.Tests.Storage;
using static Harness.Tests.Infrastructure.Scripts;

namespace Harness.Tests.Silo;

/// <summary>The terminal chat (<c>Harness.Silo chat</c>) as a child process against a real silo process: stdin lines in, stdout asserted.</summary>
public sealed class ChatCommandTests : IAsyncLifetime
{
    private readonly TestWorkspace _workspace = new();
    private SiloSettings _settings = null!;
    private SiloProcess _silo = null!;

    public async ValueTask InitializeAsync()
    {
        // demo::echo matches no rule, so every call of it waits for a human.
        _workspace.WritePermissions("rules:\n  - \"test::*\"\n");
        _workspace.WriteScript("chat-text", Rounds($"{Text("Hello from the scripted model")},{Stop("end")}"));
        _workspace.WriteScript("chat-tool", Rounds(
            $$"""{{Text("Let me echo that.")}},{{Call("c1", "demo::echo", """{"text":"hi"}""")}},{{Stop("function_call")}}""",
            $"{Text("echo came back")},{Stop("end")}"));
        // Rounds are picked by the number of assistant messages in the history: this one is for a session that already ran once.
        _workspace.WriteScript("chat-tool-second", Rounds(
            Text("unused"),
            $$"""{{Text("Let me echo that.")}},{{Call("c1", "demo::echo", """{"text":"hi"}""")}},{{Stop("function_call")}}""",
            $"{Text("echo came back")},{Stop("end")}"));
        _workspace.WriteScript("chat-hang", Rounds(Hang));
        var id = Guid.NewGuid().ToString("N")[..10];
        _settings = new SiloSettings($"chat-{id}", $"chat-{id}", PostgresDatabase.ConnectionString, _workspace, Path.Combine(_workspace.Root, "demo"));
        _silo = SiloProcess.Start(_settings);
        await _silo.WaitHealthyAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Chat_streams_answers_handles_approvals_and_switches_models()
    {
        await using var chat = Chat.Start(_settings.HttpPort, Runs.NewSession(), "chat-text");
        await chat.WaitForAsync("harness chat: session");

        await chat.SendAsync("hello");
        await chat.WaitForAsync("assistant> Hello from the scripted model");
        await chat.WaitForAsync("[done]");

        await chat.SendAsync("/models");
        await chat.WaitForAsync("chat-tool-second (scripted");
        await chat.SendAsync("/model chat-tool-second");
        await chat.WaitForAsync("[model] next runs use chat-tool-second (scripted)");

        await chat.SendAsync("please echo");
        await chat.WaitForAsync("[approval needed c1] demo::echo {\"text\":\"hi\"}");
        await chat.SendAsync("/approve c1");
        await chat.WaitForAsync("[approved c1]");
        await chat.WaitForAsync("[result c1] {\"text\":\"hi\"}");
        await chat.WaitForAsync("assistant> echo came back");
        await chat.WaitForAsync("[done]");

        await chat.SendAsync("/compact");
        await chat.WaitForAsync("[compact] ");

        await chat.SendAsync("/quit");
        await chat.WaitForAsync("bye");
        Assert.Equal(0, await chat.ExitCodeAsync());
    }

    [Fact]
    public async Task Chat_denies_steers_a_busy_turn_and_aborts_it()
    {
        await using var chat = Chat.Start(_settings.HttpPort, Runs.NewSession(), "chat-tool");
        await chat.WaitForAsync("harness chat: session");

        await chat.SendAsync("please echo");
        await chat.WaitForAsync("[approval needed c1]");
        await chat.SendAsync("/deny c1 not now");
        await chat.WaitForAsync("[denied c1]");
        await chat.WaitForAsync("[failed c1]");
        await chat.WaitForAsync("[done]");

        await chat.SendAsync("/model chat-hang");
        await chat.WaitForAsync("[model] ");
        await chat.SendAsync("wait forever");
        await chat.SendAsync("one more thing");
        await chat.WaitForAsync("[queued as steering (1 waiting)");
        await chat.SendAsync("/state");
        await chat.WaitForAsync("[state] ");
        await chat.SendAsync("/abort");
        await chat.WaitForAsync("[aborted]");
        await chat.WaitForAsync("[done]");

        await chat.SendAsync("/nonsense");
        await chat.WaitForAsync("[error] unknown command");
        chat.CloseInput();
        Assert.Equal(0, await chat.ExitCodeAsync());
    }

    /// <summary>The chat process: feeds stdin lines, collects stdout lines, waits (bounded) for text in order.</summary>
    internal sealed class Chat : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private int _cursor;

        private Chat(Process process) => _process = process;

        public static Chat Start(int httpPort, string sessionId, string model, string? apiKey = null)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Harness.Silo.dll"), "chat", "--url", $"http://127.0.0.1:{httpPort}", "--session", sessionId, "--model", model })
            {
                info.ArgumentList.Add(arg);
            }
            if (apiKey is not null)
            {
                info.Environment[Harness.Silo.Chat.ChatOptions.ApiKeyVariable] = apiKey;
            }
            var chat = new Chat(new Process { StartInfo = info });
            chat._process.OutputDataReceived += (_, e) => chat.Append(e.Data);
            chat._process.ErrorDataReceived += (_, e) => chat.Append(e.Data is null ? null : "stderr: " + e.Data);
            chat._process.Start();
            chat._process.BeginOutputReadLine();
            chat._process.BeginErrorReadLine();
            return chat;
        }

        public async Task SendAsync(string line)
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
        }

        public void CloseInput() => _process.StandardInput.Close();

        /// <summary>Waits for a line containing <paramref name="text"/> after the previous match.</summary>
        public async Task WaitForAsync(string text, int seconds = 30)
        {
            var deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (DateTime.UtcNow < deadline)
            {
                lock (_lines)
                {
                    var index = _lines.FindIndex(_cursor, l => l.Contains(text, StringComparison.Ordinal));
                    if (index >= 0)
                    {
                        _cursor = index + 1;
                        return;
                    }
                }
                await Task.Delay(25);
            }
            Assert.Fail($"chat never printed '{text}'. Output:\n{Output}");
        }

        public async Task<int> ExitCodeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        private string Output
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
        }
    }
}
