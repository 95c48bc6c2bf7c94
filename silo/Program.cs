using Harness.Silo.Auth;
using Harness.Silo.Hosting;

if (args is ["chat", ..]) { Environment.ExitCode = await Harness.Silo.Chat.ChatCommand.RunAsync(args[1..]); return; }
if (args is ["hash-key"]) { Environment.ExitCode = HashKeyCommand.Run(Console.In, Console.Out, Console.IsInputRedirected); return; }

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddHarnessSilo();
}
catch (SiloConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    Environment.ExitCode = 78;  // EX_CONFIG
    return;
}

var app = builder.Build();
app.MapHarnessEndpoints();
app.Run();

/// <summary>Visible to tests that host the silo in-process.</summary>
public partial class Program;
