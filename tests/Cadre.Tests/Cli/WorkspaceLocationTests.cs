using Cadre.Hosting;
using Cadre.Specs;
using Cadre.Tests.Support;

namespace Cadre.Tests.Cli;

/// <summary>Which workspace a command opens: <c>--workspace</c> first, then <c>CADRE_WORKSPACE</c>, then the spec's
/// <c>workspace:</c>, then <c>.cadre</c>; folders are full paths, PostgreSQL locations are kept as written.</summary>
public sealed class WorkspaceLocationTests : IDisposable
{
    private const string Url = "postgres://cadre@db.example:5432/cadre";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private CadreHostOptions Context(string? environment = null) => new()
    {
        CurrentDirectory = _dir.Path,
        GetEnvironmentVariable = name => name == WorkspaceLocation.Variable ? environment : null,
    };

    [Fact]
    public void The_option_wins_then_the_environment_then_the_spec_then_the_default_folder()
    {
        Assert.Equal(Url, WorkspaceLocation.Resolve(Context("postgres://other/x"), Url, "postgres://spec/y"));
        Assert.Equal(_dir.Combine("ws"), WorkspaceLocation.Resolve(Context(Url), "ws"));
        Assert.Equal(Url, WorkspaceLocation.Resolve(Context(Url), ".cadre", "postgres://spec/y"));
        Assert.Equal("postgres://spec/y", WorkspaceLocation.Resolve(Context(), ".cadre", "postgres://spec/y"));
        Assert.Equal(_dir.Combine(".cadre"), WorkspaceLocation.Resolve(Context(), ".cadre"));
    }

    [Fact]
    public void A_specs_workspace_folder_is_relative_to_the_spec()
    {
        _dir.Write("desk/cadre.yaml", "workspace: ../shared-ws\nagents: { a: { instructions: x } }\nworkflow: { type: sequential }\n");
        var spec = SpecLoader.Load(_dir.Combine("desk"));

        Assert.Equal(_dir.Combine("shared-ws"), WorkspaceLocation.FromSpec(spec));
        Assert.Equal(Url, WorkspaceLocation.FromSpec(spec with { Workspace = new SpecValue(Url, spec.Workspace!.Location) }));
    }

    [Theory]
    [InlineData("postgres://cadre:s3cret-pw@db.example:5432/cadre")]
    [InlineData("Host=db.example;Port=5432;Username=cadre;Password=s3cret-pw;Database=cadre")]
    public void A_workspace_is_described_without_its_password(string location)
    {
        var described = WorkspaceLocation.Describe(Context(), location);

        Assert.Equal("postgres://cadre@db.example:5432/cadre", described);
        Assert.DoesNotContain("s3cret-pw", described, StringComparison.Ordinal);
        Assert.Equal(_dir.Combine("ws"), WorkspaceLocation.Describe(Context(), "ws"));
    }
}
