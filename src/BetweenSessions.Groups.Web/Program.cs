using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Audit;
using BetweenSessions.Groups.Web.Benchmarks;
using BetweenSessions.Groups.Web.Circles;
using BetweenSessions.Groups.Web.Cluster;
using BetweenSessions.Groups.Web.Components;
using BetweenSessions.Groups.Web.Infrastructure;
using BetweenSessions.Groups.Web.Localization;
using BetweenSessions.Groups.Web.Me;
using BetweenSessions.Groups.Web.Nudges;
using BetweenSessions.Groups.Web.Push;
using BetweenSessions.Groups.Web.Realtime;
using BetweenSessions.Groups.Web.Shell;
using BetweenSessions.Groups.Web.Subscriptions;
using Microsoft.AspNetCore.HttpOverrides;

var builder = WebApplication.CreateBuilder(args);

builder.AddGroupsData();
builder.AddGroupsCluster();
builder.AddGroupsSubscriptions();
builder.AddGroupsAccounts();
builder.AddGroupsRealtime();
builder.AddGroupsBenchmarks();
builder.AddGroupsProblemDetails();
builder.AddGroupsSecurity();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddGroupsUi();
builder.Services.AddGroupsLocalization();
builder.Services.AddGroupsMe();
builder.Services.AddGroupsShell();
builder.AddGroupsNudgeEmail();
builder.AddGroupsPush();
builder.Services.AddHealthChecks().AddDbContextCheck<GroupsDbContext>();
// Behind a reverse proxy (see infra/): trust its scheme and client address, nobody else's: loopback, plus the
// proxies named in ForwardedHeaders:KnownProxies when it runs on another machine.
builder.Services.Configure<ForwardedHeadersOptions>(options =>
{
    options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
    foreach (var proxy in builder.Configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
        options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
});

var app = builder.Build();

await app.Services.MigrateGroupsDatabaseAsync();

app.UseForwardedHeaders();
app.UseGroupsSecurity();
app.UseExceptionHandler();
app.UseStatusCodePages();
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.UseStaticFiles();
app.UseCors();
app.UseAuthentication();
app.UseGroupsLocalization();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealthChecks("/health");
app.MapGroupsAccounts();
app.MapCirclesApi();
app.MapMeApi();
app.MapAccessLogApi();
app.MapNudgeEmailStop();
app.MapPushApi();
app.MapGroupsRealtime();
app.MapGroupsBenchmarks();
app.MapGroupsCluster();
app.MapGroupsShell();
// Blazor's own frame-ancestors header ('self') would be a second policy beside UseGroupsSecurity's 'none'.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);

app.Run();

/// <summary>Visible to the test host (WebApplicationFactory).</summary>
public partial class Program;
