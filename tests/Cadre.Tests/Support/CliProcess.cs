using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cadre.Tests.Support;

/// <summary>The real <c>cadre</c> command in a process of its own (<c>dotnet Cadre.Cli.dll ...</c>), so a test can kill
/// it like a crash would.</summary>
public sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<string> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CliProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The command's own build output (its deps and runtime config there, not the test's), in the
    /// configuration the tests were built in.</summary>
    public static string CliAssembly { get; } = FindCli();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public string Output => string.Join('\n', _lines);

    public static CliProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, false, args);

    /// <summary>Starts the command with these environment variables added.</summary>
    public static CliProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start(workingDirectory, environment, false, args);

    /// <summary>Starts the command with extra environment variables; with <paramref name="underParent"/>, as the child
    /// of a shell that waits for it — like <c>dotnet run</c>, whose own death leaves the real <c>cadre</c> running.</summary>
    public static CliProcess Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, bool underParent, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(underParent ? "/bin/sh" : dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (underParent)
        {
            // "$@" then a second command, so the shell forks the child instead of exec'ing into it.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("\"$@\"; exit $?");
            start.ArgumentList.Add("parent");
            start.ArgumentList.Add(dotnet);
        }

        start.ArgumentList.Add(CliAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Offline: no real model may serve, whatever the machine has configured.
        start.Environment.Remove("OPENAI_API_KEY");
        start.Environment.Remove("OPENAI_BASE_URL");
        start.Environment.Remove("OLLAMA_HOST");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var cli = new CliProcess(process);
        process.OutputDataReceived += (_, e) => cli.Receive(e.Data);
        process.ErrorDataReceived += (_, e) => cli.Receive(e.Data is null ? null : "stderr: " + e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>The run id from the first line (<c>run &lt;id&gt; started|resumed</c>), once printed.</summary>
    public async Task<string> RunIdAsync(TimeSpan limit)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(_started.Task, exited, Task.Delay(limit));
        if (first == _started.Task)
        {
            return await _started.Task;
        }

        throw new InvalidOperationException($"cadre printed no run id{(first == exited ? $" and exited with {_process.ExitCode}" : "")}:\n{Output}");
    }

    /// <summary>Kills the process at once, as a crash or <c>kill -9</c> would.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Kills only this process — the parent shell when started under one — leaving its child running.</summary>
    public async Task KillParentOnlyAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }

        // Not WaitForExitAsync: it also waits for the output to close, which the orphaned child keeps open.
        while (!_process.HasExited)
        {
            await Task.Delay(10);
        }
    }

    public async Task<int> ExitAsync(TimeSpan limit)
    {
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"cadre did not exit within {limit}:\n{Output}");
        }

        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string FindCli()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<configuration>/net10.0/
        var path = Path.Combine(RepoPaths.Root, "src", "Cadre.Cli", "bin", configuration, "net10.0", "Cadre.Cli.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the command first: {path} is missing.", path);
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        var parts = line.Split(' ');
        if (parts.Length == 3 && parts[0] == "run" && parts[2] is "started" or "resumed")
        {
            _started.TrySetResult(parts[1]);
        }
    }
}
