using System.Collections.Concurrent;
using System.Reflection;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>
/// A grain reference. It holds only the identity, so it stays valid across deactivations; each call is queued as a
/// turn on whatever activation owns that identity at call time.
/// </summary>
internal class GrainProxy : DispatchProxy
{
    private static readonly ConcurrentDictionary<Type, string?> InterfaceErrors = new();
    private static readonly ConcurrentDictionary<MethodInfo, Func<GrainProxy, object?[]?, object>> Invokers = new();

    private GrainRuntime _runtime = null!;
    private GrainRegistration _registration = null!;
    private GrainId _id;

    public static object Create(GrainRuntime runtime, GrainRegistration registration, GrainId id)
    {
        if (InterfaceErrors.GetOrAdd(registration.GrainInterface, FindUnsupportedMethod) is { } error)
            throw new InvalidOperationException(error);
        var proxy = (GrainProxy)Create(registration.GrainInterface, typeof(GrainProxy));
        proxy._runtime = runtime;
        proxy._registration = registration;
        proxy._id = id;
        return proxy;
    }

    public override string ToString() => $"GrainReference({_id})";

    // Like Orleans references: two references to one grain are equal, so they work as dictionary keys.
    public override bool Equals(object? obj) => obj is GrainProxy other && other._id == _id && other._runtime == _runtime;

    public override int GetHashCode() => _id.GetHashCode();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
        Invokers.GetOrAdd(targetMethod!, BuildInvoker)(this, args);

    // Every call becomes a queued turn whose result arrives later, so anything but a task would have to block.
    private static string? FindUnsupportedMethod(Type grainInterface)
    {
        foreach (var type in grainInterface.GetInterfaces().Prepend(grainInterface))
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            var returns = method.ReturnType;
            if (returns == typeof(Task) || (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))) continue;
            return $"Grain interface {grainInterface.Name} cannot be used: {type.Name}.{method.Name} returns {returns.Name}, " +
                "but grain methods must return Task or Task<T>.";
        }
        return null;
    }

    private static Func<GrainProxy, object?[]?, object> BuildInvoker(MethodInfo method)
    {
        if (method.ReturnType == typeof(Task))
            return (proxy, args) => proxy._runtime.InvokeAsync<object?>(proxy._registration, proxy._id, method, async grain =>
            {
                await CallGrain<Task>(method, grain, args);
                return null;
            });

        var typed = typeof(GrainProxy).GetMethod(nameof(InvokeTyped), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(method.ReturnType.GetGenericArguments()[0])
            .CreateDelegate<Func<GrainProxy, MethodInfo, object?[]?, object>>();
        return (proxy, args) => typed(proxy, method, args);
    }

    private static Task<T> InvokeTyped<T>(GrainProxy proxy, MethodInfo method, object?[]? args) =>
        proxy._runtime.InvokeAsync(proxy._registration, proxy._id, method, grain => CallGrain<Task<T>>(method, grain, args));

    private static TTask CallGrain<TTask>(MethodInfo method, Grain grain, object?[]? args) where TTask : Task =>
        method.Invoke(grain, BindingFlags.DoNotWrapExceptions, null, args, null) as TTask
        ?? throw new InvalidOperationException($"{grain.GrainId}.{method.Name} returned null instead of a task.");
}
