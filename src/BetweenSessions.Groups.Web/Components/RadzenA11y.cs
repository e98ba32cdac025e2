namespace BetweenSessions.Groups.Web.Components;

/// <summary>Small accessibility adjustments for Radzen components, found by the axe-core scan.</summary>
public static class RadzenA11y
{
    /// <summary>
    /// For RadzenRadioButtonListItem's InputAttributes. Radzen 12.0.8 renders each item as a div with role="radio"
    /// (which has presentational children) around a visually hidden native radio with tabindex="-1" and
    /// aria-hidden="true": a focusable control nested in another (axe "nested-interactive", serious). The div does
    /// all the work (clicks, arrow keys, aria-checked); disabling the hidden input takes it out of the focus order
    /// and the accessibility tree for good.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, object> QuietRadioInput = new Dictionary<string, object> { ["disabled"] = true };

    /// <summary>
    /// The id to give a radio group's legend. Radzen 12.0.8 names a RadzenRadioButtonList (role="radiogroup") with
    /// aria-label="{Name}", so screen readers announced "round-capacity" instead of the question. Give the legend this
    /// id and the list AriaLabelledBy="@RadzenA11y.LegendId(name)" (the parameter: a plain aria-labelledby attribute
    /// is overwritten by it), and the group is announced by the question the person sees.
    /// </summary>
    public static string LegendId(string groupName) => $"{groupName}-legend";
}
