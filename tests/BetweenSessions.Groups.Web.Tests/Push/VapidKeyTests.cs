using System.Buffers.Text;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Web.Push;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>
/// The VAPID key pair is made on the first start and then kept: a phone subscribed with the old key would otherwise
/// stop hearing anything after a restart. Its private half is stored protected by the data-protection key ring.
/// </summary>
public sealed class VapidKeyTests
{
    [Fact]
    public async Task The_key_pair_made_on_first_start_survives_a_restart_and_its_private_half_is_not_stored_in_the_clear()
    {
        var dataFolder = Directory.CreateTempSubdirectory("bsg-vapid-").FullName;
        try
        {
            string firstKey, privateKey;
            await using (var first = GroupsAppFixture.OnDataFolder(dataFolder))
            {
                await first.InitializeAsync();
                var person = await first.RegisterAsync("Kim");
                firstKey = (string)(await person.Http.GetFromJsonAsync<JsonObject>("/api/push/key"))!["publicKey"]!;
                Assert.Equal(65, Base64Url.DecodeFromChars(firstKey).Length);
                privateKey = (await first.Services.GetRequiredService<VapidKeys>().GetAsync()).PrivateKey;
                await using var db = await first.Services.GetRequiredService<IDbContextFactory<GroupsDbContext>>().CreateDbContextAsync();
                var stored = await db.PushVapidKeys.SingleAsync();
                Assert.Equal(firstKey, stored.PublicKey);
                Assert.DoesNotContain(privateKey, stored.ProtectedPrivateKey);
            }

            await using var second = GroupsAppFixture.OnDataFolder(dataFolder);
            await second.InitializeAsync();
            var again = await second.RegisterAsync("Kai");
            Assert.Equal(firstKey, (string)(await again.Http.GetFromJsonAsync<JsonObject>("/api/push/key"))!["publicKey"]!);
            Assert.Equal(privateKey, (await second.Services.GetRequiredService<VapidKeys>().GetAsync()).PrivateKey);
        }
        finally
        {
            try { Directory.Delete(dataFolder, recursive: true); }
            catch (IOException) { /* a temp folder left behind is harmless */ }
        }
    }
}
