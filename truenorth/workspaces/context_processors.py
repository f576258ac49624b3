def membership(request):
    """Expose the current workspace membership to templates (for navigation by role)."""
    current = getattr(request, "membership", None)
    return {"membership": current, "workspace": current.workspace if current else None}
