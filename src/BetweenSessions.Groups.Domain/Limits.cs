namespace BetweenSessions.Groups.Domain;

/// <summary>Input bounds, shared by validation, the database schema and the hub's message size.</summary>
public static class Limits
{
    public const int CircleName = 80;
    public const int DisplayName = 40;
    public const int InviteCode = 8;
    public const int Note = 1000;
    /// <summary>Wins, things to bring to the session, reflection answers, round answers, commitment texts.</summary>
    public const int Text = 1000;
    public const int RoundPrompt = 280;
    public const int FeelingWord = 30;
    public const int FeelingsPerCheckIn = 5;
    public const int ClientEventId = 64;
    public const int EventType = 32;
    public const int MemberId = 64;
    public const int EventPage = 200;
    public const int RoundPrompts = 8;
    public const int CrisisResources = 6;
    public const int CrisisResourceName = 80;
    public const int CrisisResourcePhone = 32;
    public const int CrisisResourceText = 280;
    public const int Url = 300;

    /// <summary>A Web Push subscription endpoint URL.</summary>
    public const int PushEndpoint = 800;

    /// <summary>An IANA zone id such as "America/Argentina/Buenos_Aires".</summary>
    public const int TimeZone = 64;
    public const int SessionMinutesMin = 15;
    public const int SessionMinutesMax = 8 * 60;
    /// <summary>Chosen dates of a circle's schedule, and each kind of single-session change kept.</summary>
    public const int SessionDates = 60;
    public const int ReflectWindowMinutesMin = 60;
    public const int ReflectWindowMinutesMax = 48 * 60;

    /// <summary>A questionnaire a clinic brings: its name, instructions, answer scale, items and score bands.</summary>
    public const int MeasureName = 80;
    public const int MeasureInstructions = 1000;
    public const int MeasureRecallDaysMin = 1;
    public const int MeasureRecallDaysMax = 90;
    public const int MeasureScaleOptions = 11;
    public const int MeasureScaleValueMax = 100;
    public const int MeasureLabel = 80;
    public const int MeasureItems = 40;
    public const int MeasureItemText = 280;
    public const int MeasureBands = 10;
    public const int MeasureEveryDaysMax = 365;
    /// <summary>Measures a circle keeps, offered or retired (a retired one still names its answers).</summary>
    public const int MeasuresPerCircle = 20;
}
