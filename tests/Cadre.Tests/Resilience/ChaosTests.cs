using Cadre.Resilience;
using Cadre.Testing;
using Cadre.Tools;
using Microsoft.Extensions.AI;

namespace Cadre.Tests.Resilience;

/// <summary>Fault injection: the rate is honoured, a seed makes it repeatable, and wrapped tools keep what they
/// are.</summary>
public sealed class ChaosTests
{
    private static async Task<string> Pattern(int seed, double rate, int calls = 200)
    {
        var chaos = new Cadre.Testing.Chaos(new ChaosOptions { Rate = rate, Seed = seed, HangShare = 0 });
        using var model = chaos.Wrap(new ScriptedChatClient(Enumerable.Range(0, calls).Select(_ => ScriptedReply.Say("ok"))), "m");
        var pattern = new System.Text.StringBuilder();
        for (var i = 0; i < calls; i++)
        {
            try
            {
                var response = await model.GetResponseAsync("hi");
                pattern.Append(string.IsNullOrWhiteSpace(response.Text) ? 'e' : '.');
            }
            catch (Exception ex) when (TransientFailures.IsTransient(ex))
            {
                pattern.Append('x');
            }
        }

        return pattern.ToString();
    }

    [Fact]
    public async Task The_same_seed_injects_the_same_faults_into_the_same_calls()
    {
        Assert.Equal(await Pattern(7, 0.3), await Pattern(7, 0.3));
        Assert.NotEqual(await Pattern(7, 0.3), await Pattern(8, 0.3));
    }

    [Fact]
    public async Task Faults_are_injected_at_about_the_rate_as_errors_and_empty_replies()
    {
        var pattern = await Pattern(11, 0.3, calls: 1000);

        var faults = pattern.Count(c => c != '.');
        Assert.InRange(faults, 240, 360);
        Assert.Contains('x', pattern);
        Assert.Contains('e', pattern);
        Assert.DoesNotContain('x', await Pattern(11, 0));
    }

    [Fact]
    public async Task A_wrapped_tool_keeps_its_name_and_side_effects_and_fails_before_it_runs()
    {
        var ran = 0;
        var tool = AIFunctionFactory.Create(() => ++ran, new AIFunctionFactoryOptions
        {
            Name = "send_email",
            AdditionalProperties = new Dictionary<string, object?> { [ToolNames.SideEffectsKey] = SideEffects.Irreversible },
        });

        var wrapped = new Cadre.Testing.Chaos(new ChaosOptions { Rate = 1, Seed = 1 }).Wrap(tool);

        Assert.Equal(("send_email", SideEffects.Irreversible), (wrapped.Name, ToolNames.SideEffectsOf(wrapped)));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => wrapped.InvokeAsync(new AIFunctionArguments()).AsTask());
        Assert.True(TransientFailures.NeverReached(error));
        Assert.Equal(0, ran);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void Rates_outside_zero_to_one_are_refused(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cadre.Testing.Chaos(new ChaosOptions { Rate = rate }));
}
