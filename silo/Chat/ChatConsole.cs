namespace Harness.Silo.Chat;

/// <summary>
/// The chat's output, shared by the event stream and the command loop: whole lines, and streamed text that a later
/// line first closes with a newline. Thread-safe; flushes after every write so a pipe sees text as it streams.
/// </summary>
public sealed class ChatConsole(TextWriter output)
{
    private readonly Lock _lock = new();
    private bool _midLine;

    public void Line(string text)
    {
        lock (_lock)
        {
            CloseLine();
            output.WriteLine(text);
            output.Flush();
        }
    }

    /// <summary>Streamed text: no newline is added.</summary>
    public void Stream(string text)
    {
        lock (_lock)
        {
            output.Write(text);
            output.Flush();
            _midLine = text.Length > 0 ? text[^1] != '\n' : _midLine;
        }
    }

    /// <summary>Ends the streamed line, if one is open.</summary>
    public void EndStream()
    {
        lock (_lock)
        {
            CloseLine();
            output.Flush();
        }
    }

    private void CloseLine()
    {
        if (_midLine)
        {
            output.WriteLine();
            _midLine = false;
        }
    }
}
