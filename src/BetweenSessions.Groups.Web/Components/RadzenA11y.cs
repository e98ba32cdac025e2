namespace BetweenSessions.Groups.Web.Components;

/// <summary>Small accessibility adjustments for Radzen components, found by the axe-core scan.</summary>
public static class RadzenA11y
{
    /// <summary>
    /// The id to give a radio group's legend. A RadzenRadioButtonList (role="radiogroup") is named aria-label="{Name}"
    /// unless told otherwise, so screen readers announced "round-capacity" instead of the question. Give the legend
    /// this id and the list AriaLabelledBy="@RadzenA11y.LegendId(name)" (the parameter: a plain aria-labelledby
    /// attribute is overwritten by it), and the group is announced by the question the person sees.
    /// </summary>
    public static string LegendId(string groupName) => $"{groupName}-legend";
}
