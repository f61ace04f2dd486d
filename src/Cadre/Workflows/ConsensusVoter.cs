using Cadre.Agents;
using Microsoft.Extensions.AI;

namespace Cadre.Workflows;

/// <summary>One voice in a <see cref="Consensus"/>: an agent, with chat options of its own (a temperature, another
/// model id) when the same agent votes several times.</summary>
/// <param name="Label">How the vote is reported (<c>billing</c>, <c>billing@t=0.7</c>).</param>
/// <param name="Agent">The agent that answers for this voter; the same agent may back several voters.</param>
/// <param name="Options">Its chat options for this vote, if any.</param>
public sealed record ConsensusVoter(string Label, Agent Agent, ChatOptions? Options = null);
