using Cadre.Cli;
using Cadre.Cli.Hosting;

return await CadreApp.RunAsync(args, CliContext.FromProcess());
