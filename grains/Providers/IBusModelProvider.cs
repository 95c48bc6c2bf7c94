namespace Harness.Providers;

/// <summary>
/// A provider served by a worker on the iii bus. It writes its own catalog entries (<c>models::reconcile</c> from its
/// <c>provider::&lt;id&gt;::refresh_models</c>), so the catalog's refresh does not ask it and keeps what it wrote.
/// </summary>
public interface IBusModelProvider : IModelProvider;
