"""Open the built site in headless Chromium and check that it renders.

Serves ``docs/_build/html`` on loopback, opens the index, an API page and two
tutorial pages in Debian's Chromium (driven by Selenium through Debian's
ChromeDriver: nothing is downloaded at run time), and checks on each page that
the browser logged no console error, that every image loaded, that the math is
typeset by MathJax (without a MathJax error) where the page has math, and that
the figures a page should show are there.

Usage: ``python docs/check_site.py [html_dir]`` (``make docs`` runs it after the
build); exits non-zero and names the page and the fault on any failure.
"""
import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

# page: (math expected, least number of figures)
PAGES = {
    "index.html": (False, 0),
    "reference/generated/queuemath.MMcK.html": (True, 0),
    "tutorials/field-report.html": (False, 0),
    "notebooks/02_dimensioning.html": (False, 1),
    "gallery/plot_storm_transient.html": (False, 1),
    "background/models.html": (False, 0),
}

_WAIT_FOR_MATHJAX = """
const done = arguments[arguments.length - 1];
if (!window.MathJax || !MathJax.startup) { done("no MathJax"); return; }
MathJax.startup.promise.then(() => done("ok"), (e) => done("MathJax failed: " + e));
"""

_PAGE_STATE = """
const imgs = Array.from(document.querySelectorAll("article img, main img"));
return {
  title: document.title,
  math: document.querySelectorAll("mjx-container").length,
  math_source: document.querySelectorAll(".math").length,
  math_errors: document.querySelectorAll("mjx-merror, .MathJax_Error").length,
  images: imgs.length,
  broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute("src")),
  text: (document.querySelector("main") || document.body).innerText.length,
};
"""


def available():
    """Whether Chromium and ChromeDriver are installed (Debian packages
    ``chromium`` and ``chromium-driver``)."""
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


def _serve(root):
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _driver(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # the machine's network is closed: no background connections, no first-run calls home
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def check(html_dir, pages=PAGES, screenshot_dir=None):
    """Open each page and return a list of faults (empty when all render)."""
    import tempfile

    html_dir = Path(html_dir)
    faults = []
    server = _serve(html_dir)
    profile = tempfile.mkdtemp(prefix="queuemath-chromium-")
    driver = _driver(profile)
    try:
        driver.set_script_timeout(30)
        for page, (want_math, want_figures) in pages.items():
            if not (html_dir / page).exists():
                faults.append(f"{page}: not built")
                continue
            driver.get(f"http://127.0.0.1:{server.server_port}/{page}")
            mathjax = driver.execute_async_script(_WAIT_FOR_MATHJAX)
            state = driver.execute_script(_PAGE_STATE)
            errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            if screenshot_dir is not None:
                driver.save_screenshot(str(Path(screenshot_dir) / (page.replace("/", "_") + ".png")))
            if errors:
                faults.append(f"{page}: console errors {errors}")
            if state["text"] < 200:
                faults.append(f"{page}: almost no text ({state['text']} characters)")
            if state["broken"]:
                faults.append(f"{page}: images that did not load {state['broken']}")
            if state["images"] < want_figures:
                faults.append(f"{page}: {state['images']} figures, expected at least {want_figures}")
            if want_math and (mathjax != "ok" or state["math"] == 0):
                faults.append(f"{page}: math not typeset ({mathjax}; {state['math']} typeset of "
                              f"{state['math_source']})")
            if state["math_errors"]:
                faults.append(f"{page}: {state['math_errors']} MathJax errors")
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()
        shutil.rmtree(profile, ignore_errors=True)
    return faults


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    html_dir = Path(argv[0]) if argv else Path(__file__).parent / "_build" / "html"
    if not available():
        print(f"check_site: {CHROMIUM} or {CHROMEDRIVER} is missing "
              "(apt-get install chromium chromium-driver)", file=sys.stderr)
        return 2
    faults = check(html_dir)
    for f in faults:
        print(f"check_site: {f}", file=sys.stderr)
    if not faults:
        print(f"check_site: {len(PAGES)} pages render in Chromium (math typeset, figures loaded, "
              "no console errors)")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
