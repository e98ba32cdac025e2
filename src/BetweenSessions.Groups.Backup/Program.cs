using System.Globalization;
using BetweenSessions.Groups.Backup;
using Microsoft.Data.Sqlite;

// build/backup.sh and build/restore.sh choose the default paths and build this; it does the work:
//   backup <db-file> <out-file>       a consistent copy of a database that may be in use, verified
//   restore <backup-file> <db-file>   puts a verified copy in place of a database nobody has open
const string Usage = """
    usage: BetweenSessions.Groups.Backup backup <db-file> <out-file>
           BetweenSessions.Groups.Backup restore <backup-file> <db-file>
    """;

SQLitePCL.Batteries_V2.Init();
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
try
{
    switch (args)
    {
        case ["backup", var db, var output]:
            SqliteFiles.Backup(Path.GetFullPath(db), Path.GetFullPath(output));
            return 0;
        case ["restore", var backup, var db]:
            SqliteFiles.Restore(Path.GetFullPath(backup), Path.GetFullPath(db));
            return 0;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (RefusedException refused)
{
    Console.Error.WriteLine(refused.Message);
    return 1;
}
catch (SqliteException failed)
{
    Console.Error.WriteLine($"SQLite: {failed.Message}");
    return 1;
}
catch (Exception failed) when (failed is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine(failed.Message);
    return 1;
}
