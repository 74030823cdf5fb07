using SupportBot.Host.Cli;

return await SupportBotCli.InvokeAsync(args);
