def test_x(client_for, strategy):
    c = client_for("owner")
    for method, path in [
        ("get", "/w/acme/work/mappings/new/"),
        ("put", "/w/acme/goals/new/"),
        ("delete", "/w/acme/goals/new/"),
        ("options", "/w/acme/goals/new/"),
        ("patch", "/w/acme/"),
        ("put", "/calendar/abc.ics"),
        ("post", "/calendar/abc.ics"),
        ("put", "/api/v1/workspaces/acme/goals"),
        ("put", "/login/"),
        ("get", "/logout/"),
    ]:
        r = getattr(c, method)(path)
        print(
            method,
            path,
            r.status_code,
            r.get("Allow"),
            r.get("Content-Type"),
            len(r.content),
            r.content[:80],
        )
