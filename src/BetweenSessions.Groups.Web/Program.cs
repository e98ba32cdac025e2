var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
var app = builder.Build();
app.UseStaticFiles();
app.UseAntiforgery();
app.MapRazorComponents<BetweenSessions.Groups.Web.Components.App>().AddInteractiveServerRenderMode();
app.Run();
