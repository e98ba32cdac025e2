using System.Globalization;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace BetweenSessions.Groups.Web.Infrastructure;

/// <summary>Turns broken domain rules into ProblemDetails, so every endpoint answers bad input the same clear way.</summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken ct)
    {
        // The handler runs outside the localization middleware, whose culture does not flow back out with the
        // exception: the titles take the request's language from what that middleware found.
        if (httpContext.Features.Get<IRequestCultureFeature>()?.RequestCulture is { } requested)
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (requested.Culture, requested.UICulture);
        ProblemDetails? problem = exception switch
        {
            DomainValidationException invalid => new HttpValidationProblemDetails(
                invalid.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = ServerText.Get("Problem.Invalid"),
                Detail = invalid.Message,
            },
            CircleAccessDeniedException denied => new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden, Title = ServerText.Get("Problem.Denied"), Detail = denied.Message,
            },
            CircleNotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound, Title = ServerText.Get("Problem.NotFound"), Detail = notFound.Message,
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode, Title = ServerText.Get("Problem.Unreadable"), Detail = bad.Message,
            },
            _ => null,
        };
        if (problem is null) return false;

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext, ProblemDetails = problem, Exception = exception,
        });
    }
}

internal static class ProblemDetailsExtensions
{
    public static IHostApplicationBuilder AddGroupsProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<DomainExceptionHandler>();
        return builder;
    }
}
