namespace Harness.Tests.Infrastructure;

/// <summary>A temp folder holding provider scripts and the permissions file of one test cluster.</summary>
public sealed class TestWorkspace : IDisposable
{
    /// <summary>Allows the test tools, asks for <c>test::ask*</c>, denies <c>test::forbidden</c>.</summary>
    public const string DefaultPermissions = """
        rules:
          - "!test::forbidden"
          - "test::*"
          - "demo::*"
        """;

    public TestWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("harness-test-").FullName;
        ScriptDirectory = Directory.CreateDirectory(Path.Combine(Root, "scripts")).FullName;
        PermissionsPath = Path.Combine(Root, "iii-permissions.yaml");
    }

    public string Root { get; }

    public string ScriptDirectory { get; }

    public string PermissionsPath { get; }

    public void WritePermissions(string yaml) => File.WriteAllText(PermissionsPath, yaml);

    /// <summary>Writes <c>&lt;model&gt;.json</c>; returns the model name to use in run::start.</summary>
    public string WriteScript(string model, string json)
    {
        File.WriteAllText(Path.Combine(ScriptDirectory, model + ".json"), json);
        return model;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
