"""The documentation site builds from a clean tree with no warning (broken
cross-references included), documents every public name on a page of its own,
and renders in a real browser: headless Chromium finds the math typeset, the
figures loaded and no console error (docs/check_site.py).

The build executes the notebooks, the how-to guides and the gallery, so a broken
example anywhere in the site fails here.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")
pytest.importorskip("myst_nb")

DOCS = Path(__file__).parents[1] / "docs"
sys.path.insert(0, str(DOCS))
import check_site  # noqa: E402
from public_api import public_objects  # noqa: E402


def public_names():
    return [name for name, _ in public_objects()]


def test_public_names_are_listed_in_the_reference():
    """Each public name appears in an autosummary of docs/reference (checked
    without a build, so that the failure names what is missing)."""
    listed = set()
    for page in (DOCS / "reference").glob("*.rst"):
        module = "queuemath"
        for line in page.read_text().splitlines():
            if line.startswith(".. currentmodule::"):
                module = line.split("::")[1].strip()
            elif line.startswith("   ") and line.strip() and not line.strip().startswith(":"):
                listed.add(f"{module}.{line.strip()}")
    missing = [n for n in public_names() if n not in listed]
    assert not missing, f"public names with no reference page: {missing}"


def test_site_builds_without_warnings_and_renders_in_chromium(tmp_path):
    html, warnings = tmp_path / "html", tmp_path / "warnings.txt"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-w", str(warnings),
         "-b", "html", "-d", str(tmp_path / "doctrees"), str(DOCS), str(html)],
        capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert warnings.read_text() == ""
    generated = {p.stem for p in (html / "reference" / "generated").glob("*.html")}
    assert set(public_names()) <= generated, set(public_names()) - generated
    # every notebook is a tutorial page, executed (a notebook stored without
    # outputs shows its outputs on the site)
    for notebook in sorted((DOCS.parent / "notebooks").glob("*.ipynb")):
        page = (html / "notebooks" / f"{notebook.stem}.html").read_text()
        assert "cell_output" in page, notebook.name

    if not check_site.available():
        if os.environ.get("QUEUEMATH_REQUIRE_BROWSER"):
            pytest.fail("Chromium is missing: `make chromium` installs Debian's chromium and "
                        "chromium-driver")
        pytest.skip("Chromium and ChromeDriver not installed (make chromium)")
    assert check_site.check(html) == []


def test_the_browser_check_can_fail(tmp_path):
    """The browser check reports a page whose math is not typeset, a missing
    figure and a console error (a page built to fail each)."""
    if not check_site.available():
        pytest.skip("Chromium and ChromeDriver not installed (make chromium)")
    (tmp_path / "bad.html").write_text(
        "<html><body><main>" + "text " * 100 + "<p class='math'>\\(x^2\\)</p>"
        "<img src='missing.png'><script>console.error('broken page')</script></main></body></html>")
    faults = check_site.check(tmp_path, pages={"bad.html": (True, 2)})
    text = " ".join(faults)
    assert "console errors" in text and "broken page" in text
    assert "images that did not load" in text
    assert "math not typeset" in text
    assert "1 figures, expected at least 2" in text
