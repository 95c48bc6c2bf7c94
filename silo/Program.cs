using Harness.Silo.Hosting;

if (args is ["chat", ..]) { Environment.ExitCode = await Harness.Silo.Chat.ChatCommand.RunAsync(args[1..]); return; }

var builder = WebApplication.CreateBuilder(args);
builder.AddHarnessSilo();

var app = builder.Build();
app.MapHarnessEndpoints();
app.Run();

/// <summary>Visible to tests that host the silo in-process.</summary>
public partial class Program;
