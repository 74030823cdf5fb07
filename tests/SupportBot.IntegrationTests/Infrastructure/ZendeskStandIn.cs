using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SupportBot.IntegrationTests.Infrastructure;

/// <summary>A local stand-in of Zendesk's Tickets API (ticket 777 exists), checking basic auth <c>{email}/token:{token}</c>.</summary>
public sealed class ZendeskStandIn : IAsyncDisposable
{
    public const string Email = "bot@example.com";
    public const string Token = "zd-token-1";

    private readonly WebApplication _app;

    private ZendeskStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When set, every request gets this status.</summary>
    public int? FailWith { get; set; }

    public static async Task<ZendeskStandIn> StartAsync()
    {
        var builder = Loopback.StandInBuilder();
        var app = builder.Build();
        var standIn = new ZendeskStandIn(app);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}/token:{Token}"));
        app.Use(async (context, next) =>
        {
            if (standIn.FailWith is { } status)
            {
                context.Response.StatusCode = status;
                return;
            }

            if (context.Request.Headers.Authorization != expected)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }

            await next(context);
        });
        app.MapGet("/api/v2/tickets/{id}.json", (string id, HttpContext context) => id == "777" && context.Request.Query["include"] == "users"
            ? Results.Text("""
                {"ticket":{"id":777,"subject":"Instant payout missing","status":"open","priority":"urgent","requester_id":1,"assignee_id":2,
                 "created_at":"2026-11-24T08:00:00Z","updated_at":"2026-11-25T09:30:00Z","tags":["vip","payouts"],"custom_fields":[]},
                 "users":[{"id":1,"name":"Jo Merchant","email":"jo@merchant.example"},{"id":2,"name":"Kai Agent","email":"kai@support.example"}]}
                """, "application/json")
            : Results.Json(new { error = "RecordNotFound" }, statusCode: 404));
        app.MapGet("/api/v2/tickets/{id}/comments.json", (string id) => Results.Text("""
            {"comments":[
              {"id":11,"author_id":2,"body":"<p>Checking with payouts</p>","plain_body":"Checking with payouts","created_at":"2026-11-25T09:30:00Z","public":false},
              {"id":10,"author_id":1,"body":"My instant payout to card 4000 0566 5566 5556 never arrived","plain_body":"My instant payout to card 4000 0566 5566 5556 never arrived","created_at":"2026-11-24T08:00:00Z","public":true}],
             "users":[{"id":1,"name":"Jo Merchant","email":"jo@merchant.example"},{"id":2,"name":"Kai Agent","email":"kai@support.example"}]}
            """, "application/json"));
        await app.StartAsync();
        standIn.BaseAddress = Loopback.AddressOf(app);
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
