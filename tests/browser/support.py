"""What the browser journeys share: addresses, screenshots and the accessibility scan."""

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
PASSWORD = "fushun-demo"
DESKTOP, PHONE = 1280, 390


def url(page, path: str) -> str:
    return page.base_url + path


def shot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/browser/<name>-<width>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{page.width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page) -> list[str]:
    """Run axe-core (vendored from the npm registry, tests/browser/vendor/) on the page; its serious and
    critical violations, one line each."""
    # Evaluated through the DevTools protocol: the portal's Content-Security-Policy (script-src 'self')
    # rightly refuses an injected <script>.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
