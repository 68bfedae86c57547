"""Accessibility checks in the browser with axe-core, the npm package the portal already ships."""

from django.conf import settings

from tests.browser.conftest import wait_for_htmx

AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"critical", "serious"}


def assert_accessible(page) -> None:
    """Fail when axe finds a critical or serious violation on the page as it is now.

    The page's context must be created with `bypass_csp=True`: the portal's CSP admits only
    scripts carrying the page's nonce, and axe is injected from outside.
    """
    wait_for_htmx(page)  # axe must read a page that is not being swapped under it
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map((node) => node.target.join(" ")),
            }));
        }"""
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        report = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
            for v in blocking
        )
        raise AssertionError(f"Accessibility violations on {page.url}:\n{report}")
