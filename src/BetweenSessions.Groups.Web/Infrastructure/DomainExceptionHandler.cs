using BetweenSessions.Groups.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace BetweenSessions.Groups.Web.Infrastructure;

/// <summary>Turns broken domain rules into ProblemDetails, so every endpoint answers bad input the same clear way.</summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken ct)
    {
        ProblemDetails? problem = exception switch
        {
            DomainValidationException invalid => new HttpValidationProblemDetails(
                invalid.Errors.ToDictionary(e => e.Key, e => e.Value))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Some of what was sent needs a change.",
                Detail = invalid.Message,
            },
            CircleAccessDeniedException denied => new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden, Title = "Not allowed in this circle.", Detail = denied.Message,
            },
            CircleNotFoundException notFound => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = notFound.Message,
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode, Title = "The request could not be read.", Detail = bad.Message,
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
