"""The shape of the portal's permission tables, shared by every area's tests.

Each area's test module keeps a table of its pages:

- MATRIX: url -> the status a GET must answer for each persona, in the order of PERSONAS. The
  url is a template filled from the module's fixtures; {own} names an object of `pm`, {other}
  the same kind of object of another project manager.
- PATTERN_ROWS: each resolver pattern of the area -> the MATRIX row that covers it.

tests/pmo_portal/test_permission_matrix.py collects every PATTERN_ROWS and proves that each page
of the portal is in some table.
"""

from django.urls import URLPattern, URLResolver

# Each persona is also the name of the fixture (tests/conftest.py) that makes its user.
PERSONAS = ["anonymous", "executive", "pm", "pmo", "resource_manager", "pmo_admin"]

LOGIN = "login"  # anonymous users are sent to the login page
ADMIN_LOGIN = "admin-login"  # Django admin sends those it does not let in to its own login

# The common rows.
READ = [LOGIN, 200, 200, 200, 200, 200]
POST_ONLY = [LOGIN, 405, 405, 405, 405, 405]
# PMO staff only: analysts and admins.
PMO_ONLY = [LOGIN, 403, 403, 200, 403, 200]
# Project managers and PMO staff: a page for work on a project of `pm` (the same page on another
# manager's project is PMO_ONLY), or one where a project manager starts work on a project of
# theirs.
MANAGER_OR_PMO = [LOGIN, 403, 200, 200, 403, 200]


def log_in(client, request, persona: str) -> None:
    """Sign `persona` in on `client`, past the second step as Django admin asks of staff (nobody
    for "anonymous")."""
    if persona != "anonymous":
        request.getfixturevalue("verified_login")(client, request.getfixturevalue(persona))


def assert_status(response, expected) -> None:
    """The response is the one a persona must get: a status, or a redirect to a login page."""
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/accounts/login/?next="), response["Location"]
    elif expected == ADMIN_LOGIN:
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith("/admin/login/"), response["Location"]
    else:
        assert response.status_code == expected


def check_page(client, request, matrix: dict, url_template: str, persona: str, **objects):
    """GET a row of `matrix` as `persona`, with the url filled from `objects`, and check the
    status the table expects."""
    log_in(client, request, persona)
    response = client.get(url_template.format(**objects))
    assert_status(response, matrix[url_template][PERSONAS.index(persona)])
    return response


def resolver_patterns(patterns, prefix: str = ""):
    """Every page pattern below `patterns`, as the resolver joins it ("projects/<int:pk>/")."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from resolver_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def refused(matrix: dict) -> list[tuple[str, str]]:
    """The (url, persona) pairs of `matrix` whose GET is refused (403 or 404)."""
    return [
        (url_template, persona)
        for url_template, row in matrix.items()
        for persona, expected in zip(PERSONAS, row, strict=True)
        if expected in (403, 404)
    ]


def check_refused_post(client, request, matrix: dict, url_template: str, persona: str, **objects):
    """A persona refused a page by GET is refused by POST too: no form with errors, no change
    (a page that only shows answers a POST with 405)."""
    log_in(client, request, persona)
    response = client.post(url_template.format(**objects))
    assert response.status_code in (403, 404, 405), response.status_code
