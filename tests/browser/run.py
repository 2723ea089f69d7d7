#!/usr/bin/env python3
"""Browser test of `charter docs`: renders sites and checks them in headless Chromium.

    tests/browser/run.py CHARTER SOURCE_DIR ARTIFACTS_DIR

CHARTER is the charter binary, SOURCE_DIR the project's source folder (for examples/acme and
tests/browser/xss), ARTIFACTS_DIR where the screenshots go (created). Renders
examples/acme (default locale and `--locale zh`), the hostile charter tests/browser/xss and a
generated glossary of 2,100 terms (pages per letter, K on two pages), opens the pages over file:// in
headless Chromium (Debian's chromium + chromium-driver, python3-selenium) and checks them
through the DOM against the DOM contract of the HTML renderer (docs/cli.md, `charter docs`):

  glossary-terms      glossary.html has one article.term per glossary term, id = data-term = term id
  search-*            typing into #search lists the term in #search-results (label, avoid-word,
                      any case or accents, Chinese translation) and hides the articles that do not match
  funnel              funnel.html has svg.funnel with one g.stage per stage, in order, and g.exit
  xss-*               nothing of the hostile charter runs or becomes markup
  console-*           no SEVERE console message on any page visited
  locale-zh           the `--locale zh` glossary shows the Chinese label
  paged-*             a glossary of more than 1,000 terms is split into glossary/<letter>.html, a
                      letter of more than 1,000 terms into <letter>.html, <letter>-2.html ...
                      (prev/next links, the index lists both, search and glossary.html#id lead to
                      the second page, #id lands on its term on a long page, print shows every term)
  screenshots         glossary.png and funnel.png in ARTIFACTS_DIR

Prints PASS or FAIL per check and exits 1 on any failure (2 on bad usage). A missing browser,
driver or selenium is a failure, not a skip: scripts/bootstrap installs them.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback


def _reexec_with_system_python():
    """CTest may find a python3 without Debian's python3-selenium (pyenv, venv): use /usr/bin's."""
    try:
        import selenium  # noqa: F401
        return
    except ImportError:
        pass
    system = "/usr/bin/python3"
    if os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system) \
            and not os.environ.get("CHARTER_BROWSER_REEXEC"):
        os.environ["CHARTER_BROWSER_REEXEC"] = "1"
        os.execv(system, [system] + sys.argv)


_reexec_with_system_python()

CHROMIUM = os.environ.get("CHARTER_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHARTER_CHROMEDRIVER", "/usr/bin/chromedriver")
MQL = "marketing_qualified_lead"

results = []  # (name, ok, detail)


def report(name, ok, detail=""):
    results.append((name, ok, detail))
    line = "%s %s" % ("PASS" if ok else "FAIL", name)
    if detail:
        line += ": " + detail
    print(line, flush=True)


def check(name):
    """Decorator: runs the function now; an AssertionError or any exception is a FAIL."""
    def run(fn):
        t0 = time.monotonic()
        try:
            detail = fn()
            report(name, True, "%s (%.1f s)" % (detail or "", time.monotonic() - t0))
        except AssertionError as e:
            report(name, False, "%s (%.1f s)" % (e, time.monotonic() - t0))
        except Exception as e:  # a crash of a check is its failure, the others still run
            # WebDriver messages end in a native stack trace: keep their first line, and where.
            first = (getattr(e, "msg", None) or str(e)).strip().splitlines() or [""]
            ours = [f.lineno for f in traceback.extract_tb(e.__traceback__) if f.filename == __file__]
            report(name, False, "%s: %s (run.py line %s)" % (type(e).__name__, first[0], ours[-1] if ours else "?"))
        return fn
    return run


def fatal(msg):
    report("setup", False, msg)
    print("FAIL browser test: %s" % msg, flush=True)
    sys.exit(1)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    charter, src, artifacts = (os.path.abspath(a) for a in sys.argv[1:])
    started = time.monotonic()

    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append("chromium (%s)" % CHROMIUM)
    if not os.access(CHROMEDRIVER, os.X_OK):
        missing.append("chromedriver (%s, package chromium-driver)" % CHROMEDRIVER)
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("python3 module selenium (package python3-selenium) for %s" % sys.executable)
    if missing:
        fatal("missing %s: run scripts/bootstrap, which installs them" % ", ".join(missing))
    if not os.access(charter, os.X_OK):
        fatal("no charter binary at %s" % charter)

    os.makedirs(artifacts, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="charter-browser-")
    try:
        run_checks(charter, src, artifacts, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    failed = [r for r in results if not r[1]]
    print("%s browser: %d checks, %d failed (%.1f s)" % (
        "FAIL" if failed else "PASS", len(results), len(failed), time.monotonic() - started), flush=True)
    if failed:
        print("failed: " + ", ".join(r[0] for r in failed), flush=True)
    sys.exit(1 if failed else 0)


# ------------------------------------------------------------------------------ charter ----

def run_charter(charter, args, what):
    p = subprocess.run([charter] + args, capture_output=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError("`charter %s` (%s) exited %d:\n%s%s" % (
            " ".join(args), what, p.returncode, p.stdout.decode(errors="replace")[-2000:],
            p.stderr.decode(errors="replace")[-2000:]))
    return p.stdout


def render(charter, path, out, *extra):
    run_charter(charter, ["docs", path, "--out", out] + list(extra), "render " + path)
    for name in ["index.html", "glossary.html", "funnel.html", "assets/search.js", "assets/search-index.js"]:
        if not os.path.isfile(os.path.join(out, name)):
            raise RuntimeError("`charter docs %s` wrote no %s (wrote: %s)" % (path, name, sorted(os.listdir(out))))


def export(charter, path):
    """The merged model (`charter export --format json`): glossary terms and funnel stages."""
    model = json.loads(run_charter(charter, ["export", path, "--format", "json"], "export " + path))
    glossary = model.get("glossary")
    assert isinstance(glossary, list) and all("id" in t for t in glossary), \
        "export JSON: `glossary` is not a list of terms with ids"
    funnel = model.get("funnel") or {}
    assert isinstance(funnel.get("stages"), list), "export JSON: no funnel.stages list"
    return model


def paged_charter(path, n, extra_k=0):
    """A valid charter of n terms whose labels start with every letter (and a digit and Ä), and
    extra_k more terms "Kilo extra NNNN" (so that K can need more than one page)."""
    words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
             "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
             "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee", "zulu",
             "42nd", "Äpfel"]
    lines = ["charter: 1", "organization:", "  name: Paged", "teams:", "  - id: ops", "    name: Ops",
             "glossary:"]
    for i in range(n):
        w = words[i % len(words)]
        lines += ["  - id: t%04d_%s" % (i, "other" if not w[0].isascii() or not w[0].isalpha() else w),
                  "    term: %s %s %d" % (w.capitalize(), words[(i * 7) % 26], i),
                  "    definition: Term number %d of the paged glossary." % i,
                  "    owner: ops"]
    for j in range(extra_k):
        lines += ["  - id: k%04d_extra" % j,
                  "    term: Kilo extra %04d" % j,
                  "    definition: Extra term %d under K; see [the first one](k0000_extra)." % j,
                  "    related: [t%04d_golf]" % (6 + 28 * (j % 20)),
                  "    owner: ops"]
    lines += ["funnel:", "  stages:", "    - id: one", "      name: One", "      owner: ops"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# ------------------------------------------------------------------------------ browser ----

def start_browser(profile):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900",
              "--no-first-run", "--disable-extensions", "--lang=en-US"]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(10)
    driver.set_window_size(1280, 900)
    return driver


class Browser:
    def __init__(self, driver):
        self.d = driver
        self.console = {}  # page label -> SEVERE messages

    def open(self, path, label=None):
        """Loads a local file and records its console messages under label."""
        self.d.get("file://" + os.path.abspath(path))
        self.drain(label or os.path.basename(path))

    def drain(self, label):
        try:
            logs = self.d.get_log("browser")
        except Exception as e:  # noqa: BLE001
            logs = [{"level": "SEVERE", "message": "could not read the console: %s" % e}]
        severe = [l["message"] for l in logs if l.get("level") == "SEVERE"]
        self.console.setdefault(label, []).extend(severe)

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def alert_text(self):
        """The text of an open alert (accepting it), or None."""
        from selenium.common.exceptions import NoAlertPresentException
        try:
            a = self.d.switch_to.alert
            text = a.text
            a.accept()
            return text
        except NoAlertPresentException:
            return None

    def type_search(self, text):
        """Clears #search and types text one character at a time, as a person would."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        box = self.d.find_element(By.ID, "search")
        box.click()
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE)
        for ch in text:
            box.send_keys(ch)
        return box

    def results(self, timeout=3.0, want=None):
        """[(data-term, data-match, text, href)] of #search-results; waits up to timeout for a
        result with data-term want (search may be debounced), else for the list to settle."""
        end = time.monotonic() + timeout
        last, stable = None, 0
        while True:
            rows = self.js("""
              var ul = document.getElementById('search-results');
              if (!ul) return null;
              return Array.from(ul.querySelectorAll('li')).map(function (li) {
                var a = li.querySelector('a');
                return [li.getAttribute('data-term'), li.getAttribute('data-match'),
                        li.textContent, a ? a.href : null,
                        li.offsetParent !== null || li.getClientRects().length > 0];
              });""")
            if rows is None:
                raise AssertionError("no #search-results element on the page")
            if want is not None and any(r[0] == want for r in rows):
                return rows
            stable = stable + 1 if rows == last else 0
            last = rows
            if time.monotonic() > end or (want is None and stable >= 3):
                return rows
            time.sleep(0.05)

    def screenshot(self, path, full_page=True):
        if full_page:
            # The window's height includes the browser's frame: add what the viewport lacks.
            h, chrome = self.js("return [Math.max(document.body.scrollHeight, document.documentElement.scrollHeight),"
                                " window.outerHeight - window.innerHeight]")
            self.d.set_window_size(1280, max(900, min(int(h or 900) + max(0, int(chrome or 0)), 4000)))
            time.sleep(0.2)
        ok = self.d.save_screenshot(path)
        self.d.set_window_size(1280, 900)
        return ok


# ------------------------------------------------------------------------------- checks ----

def run_checks(charter, src, artifacts, tmp):
    acme_src = os.path.join(src, "examples", "acme")
    xss_src = os.path.join(src, "tests", "browser", "xss")
    acme, acme_zh, xss, paged = (os.path.join(tmp, n) for n in ["acme", "acme-zh", "xss", "paged"])

    try:
        model = export(charter, acme_src)
        render(charter, acme_src, acme)
        render(charter, acme_src, acme_zh, "--locale", "zh")
        render(charter, xss_src, xss)
        report("render", True, "charter docs wrote examples/acme (en, zh) and tests/browser/xss")
    except Exception as e:  # noqa: BLE001
        fatal(str(e))
    term_ids = [t["id"] for t in model["glossary"]]
    terms = {t["id"]: t for t in model["glossary"]}
    stage_ids = [s["id"] for s in model["funnel"]["stages"]]
    exit_ids = [x["id"] for x in model["funnel"].get("exits", [])]
    if MQL not in terms:
        fatal("examples/acme has no %s term: the search checks need it" % MQL)
    mql_label = terms[MQL]["term"]
    mql_zh = terms[MQL].get("translations", {}).get("zh", {}).get("term")

    try:
        driver = start_browser(os.path.join(tmp, "profile"))
    except Exception as e:  # noqa: BLE001
        fatal("could not start headless Chromium through %s: %s (scripts/bootstrap installs "
              "chromium, chromium-driver and python3-selenium)" % (CHROMEDRIVER, e))
    b = Browser(driver)
    try:
        acme_checks(b, acme, acme_zh, artifacts, term_ids, terms, stage_ids, exit_ids, mql_label, mql_zh)
        xss_checks(b, charter, xss_src, xss)
        paged_checks(b, charter, paged, tmp)
        console_check(b)
    finally:
        driver.quit()


def acme_checks(b, acme, acme_zh, artifacts, term_ids, terms, stage_ids, exit_ids, mql_label, mql_zh):
    from selenium.webdriver.common.by import By
    glossary = os.path.join(acme, "glossary.html")

    @check("glossary-terms")
    def _():
        b.open(glossary)
        arts = b.js("""return Array.from(document.querySelectorAll('article.term')).map(function (a) {
                         var h = a.querySelector('h2, h3');
                         return [a.id, a.getAttribute('data-term'), h ? h.textContent.trim() : null]; });""")
        ids = [a[0] for a in arts]
        assert len(arts) == len(term_ids), "%d article.term, the glossary has %d terms (missing: %s; extra: %s)" % (
            len(arts), len(term_ids), sorted(set(term_ids) - set(ids))[:10], sorted(set(ids) - set(term_ids))[:10])
        assert sorted(ids) == sorted(term_ids), "article ids differ from the term ids: missing %s, extra %s" % (
            sorted(set(term_ids) - set(ids))[:10], sorted(set(ids) - set(term_ids))[:10])
        bad = [a for a in arts if a[1] != a[0]]
        assert not bad, "data-term differs from id: %s" % bad[:5]
        nolabel = [a[0] for a in arts if not a[2] or terms[a[0]]["term"] not in a[2]]
        assert not nolabel, "articles whose h2/h3 lacks the term's label: %s" % nolabel[:5]
        return "%d terms, each article.term with id = data-term = term id and its label in h2/h3" % len(arts)

    def search_finds(name, query, want_match=None):
        @check(name)
        def _():
            b.open(glossary, "glossary.html")
            b.type_search(query)
            rows = b.results(want=MQL)
            b.drain("glossary.html (search %r)" % query)
            hit = [r for r in rows if r[0] == MQL]
            assert hit, "typing %r: no li[data-term=%s] in #search-results; got %s" % (
                query, MQL, [(r[0], r[1]) for r in rows][:10])
            assert mql_label in hit[0][2], "typing %r: the result's text %r lacks %r" % (query, hit[0][2], mql_label)
            assert hit[0][4], "typing %r: the result is not displayed" % query
            assert len(rows) <= 50, "%d results: more than the cap of 50" % len(rows)
            if want_match:
                assert hit[0][1] in want_match, "typing %r: data-match=%r, expected one of %s" % (
                    query, hit[0][1], want_match)
            return "%r lists %s (data-match=%s) among %d results" % (query, MQL, hit[0][1], len(rows))

    search_finds("search-avoid-word", "hot lead", ["avoid"])
    search_finds("search-case", "HOT LEAD", ["avoid"])
    search_finds("search-accents", "hôt LÉAD", ["avoid"])
    search_finds("search-abbreviation", "mql", ["abbreviation", "id", "label"])
    if mql_zh:
        search_finds("search-chinese", mql_zh, ["translation"])

    @check("search-hides-articles")
    def _():
        b.open(glossary, "glossary.html")
        b.type_search("hot lead")
        rows = b.results(want=MQL)
        listed = {r[0] for r in rows}
        vis = b.js("""return Array.from(document.querySelectorAll('article.term')).map(function (a) {
                        return [a.id, a.getClientRects().length > 0 && getComputedStyle(a).visibility !== 'hidden']; });""")
        shown = {i for i, v in vis if v}
        assert MQL in shown, "%s is hidden while the search lists it" % MQL
        wrong = sorted(shown - listed)
        assert not wrong, "articles still shown that the search does not list: %s" % wrong[:10]
        hidden_listed = sorted(listed - shown)
        assert not hidden_listed, "articles hidden that the search lists: %s" % hidden_listed[:10]
        b.type_search("")
        time.sleep(0.2)
        back = b.js("return Array.from(document.querySelectorAll('article.term')).filter("
                    "function (a) { return a.getClientRects().length > 0; }).length")
        assert back == len(term_ids), "after clearing the search, %d of %d articles are shown" % (back, len(term_ids))
        return "%d of %d articles shown for 'hot lead', all %d again after clearing" % (len(shown), len(vis), back)

    @check("search-no-match")
    def _():
        b.open(glossary, "glossary.html")
        b.type_search("zzqxj")
        rows = b.results()
        assert not rows, "typing 'zzqxj' lists %s" % [r[0] for r in rows][:10]
        return "'zzqxj' lists nothing"

    @check("search-link")
    def _():
        b.open(os.path.join(acme, "index.html"))
        b.type_search("hot lead")
        rows = b.results(want=MQL)
        hit = [r for r in rows if r[0] == MQL]
        assert hit and hit[0][3], "no link in the result for %s on index.html: %s" % (MQL, rows[:5])
        b.d.find_element(By.CSS_SELECTOR, '#search-results li[data-term="%s"] a' % MQL).click()
        time.sleep(0.3)
        url = b.d.current_url
        b.drain("search result link")
        assert url.split("#")[0].endswith(".html") and url.endswith("#" + MQL), \
            "the result's link leads to %s, not to a page with #%s" % (url, MQL)
        target = b.js("var e = document.getElementById(arguments[0]); return e && e.matches('article.term');", MQL)
        assert target, "%s has no article.term#%s" % (url, MQL)
        return "index.html: the result links to %s" % url.rsplit("/", 1)[-1]

    @check("funnel")
    def _():
        b.open(os.path.join(acme, "funnel.html"))
        n = b.js("return document.querySelectorAll('svg.funnel').length")
        assert n == 1, "%d svg.funnel elements on funnel.html, expected 1" % n
        got = b.js("return Array.from(document.querySelectorAll('svg.funnel g.stage')).map("
                   "function (g) { return g.getAttribute('data-stage'); })")
        assert got == stage_ids, "g.stage data-stage in document order %s, expected %s" % (got, stage_ids)
        exits = b.js("return Array.from(document.querySelectorAll('svg.funnel g.exit')).map("
                     "function (g) { return g.getAttribute('data-exit'); })")
        assert exits == exit_ids, "g.exit data-exit %s, expected %s" % (exits, exit_ids)
        empty = b.js("""return Array.from(document.querySelectorAll('svg.funnel g.stage')).filter(function (g) {
                          var r = g.getBoundingClientRect(); return r.width < 1 || r.height < 1; }).map(
                          function (g) { return g.getAttribute('data-stage'); });""")
        assert not empty, "stages drawn with no size: %s" % empty
        ys = b.js("return Array.from(document.querySelectorAll('svg.funnel g.stage')).map("
                  "function (g) { var r = g.getBoundingClientRect(); return [r.top, r.left]; })")
        assert len({tuple(round(v) for v in y) for y in ys}) == len(ys), "stages drawn on top of each other: %s" % ys
        return "svg.funnel: %d stages in order (%s), %d exits" % (len(got), " > ".join(got), len(exits))

    @check("screenshots")
    def _():
        made = []
        for page, png in [("glossary.html", "glossary.png"), ("funnel.html", "funnel.png")]:
            b.open(os.path.join(acme, page))
            out = os.path.join(artifacts, png)
            assert b.screenshot(out), "could not save %s" % out
            assert os.path.getsize(out) > 1000, "%s is nearly empty" % out
            made.append(out)
        b.open(os.path.join(acme_zh, "glossary.html"), "glossary.html (zh)")
        b.screenshot(os.path.join(artifacts, "glossary-zh.png"))
        return ", ".join(made) + " (and glossary-zh.png)"

    @check("pages-load")
    def _():
        missing = []
        for page in ["index.html", "glossary.html", "funnel.html", "qualification.html", "agreements.html",
                     "teams.html"]:
            path = os.path.join(acme, page)
            if not os.path.isfile(path):
                missing.append(page)
                continue
            b.open(path)
            has = b.js("return [!!document.querySelector('input#search[type=search]'), "
                       "!!document.querySelector('ul#search-results'), document.title]")
            if not (has[0] and has[1]):
                missing.append("%s without input#search[type=search] or ul#search-results" % page)
            elif not has[2]:
                missing.append("%s without a title" % page)
        assert not missing, "; ".join(missing)
        return "index, glossary, funnel, qualification, agreements, teams: each with #search and #search-results"

    @check("locale-zh")
    def _():
        assert mql_zh, "examples/acme has no zh label for %s" % MQL
        b.open(os.path.join(acme_zh, "glossary.html"), "glossary.html (zh)")
        label = b.js("var a = document.getElementById(arguments[0]); var h = a && a.querySelector('h2, h3');"
                     "return h ? h.textContent.trim() : null;", MQL)
        assert label is not None, "no article.term#%s with an h2/h3 on the zh glossary" % MQL
        assert mql_zh in label, "the zh glossary labels %s %r, expected %r" % (MQL, label, mql_zh)
        lang = b.js("return document.documentElement.lang")
        b.type_search("hot lead")
        rows = b.results(want=MQL)
        hit = [r for r in rows if r[0] == MQL]
        assert hit and mql_zh in hit[0][2], "zh site: searching 'hot lead' gives %s, expected %s labelled %s" % (
            [(r[0], r[2]) for r in rows][:5], MQL, mql_zh)
        return "%s is labelled %s (html lang=%r); its search result too" % (MQL, label, lang)


XSS_SCAN = r"""
var out = {};
out.xss = window.__xss === undefined ? null : String(window.__xss);
out.inlineScripts = Array.from(document.scripts).filter(function (s) {
  return /__xss|alert\s*\(/.test(s.textContent) || /__xss|alert|javascript:/i.test(s.getAttribute('src') || ''); })
  .map(function (s) { return s.outerHTML.slice(0, 120); });
out.termScripts = document.querySelectorAll('article.term script').length;
out.handlers = [];
document.querySelectorAll('*').forEach(function (e) {
  for (var i = 0; i < e.attributes.length; i++) {
    var n = e.attributes[i].name.toLowerCase();
    if (n.indexOf('on') === 0) out.handlers.push(e.tagName + '[' + n + '=' + e.attributes[i].value.slice(0, 40) + ']');
  }
});
out.onerror = document.querySelectorAll('[onerror]').length;
out.jsLinks = Array.from(document.querySelectorAll('a[href], area[href], iframe, embed, object, form, [src], [action], [formaction], [xlink\\:href]'))
  .filter(function (e) {
    var vals = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].map(function (n) { return e.getAttribute(n) || ''; });
    if (e.protocol) vals.push(e.protocol);
    return vals.some(function (v) { return /^\s*(javascript|vbscript|data:text\/html)/i.test(v.replace(/[\u0000-\u0020]/g, '')); });
  }).map(function (e) { return e.outerHTML.slice(0, 120); });
out.jsPrefix = document.querySelectorAll('a[href^="javascript" i]').length;
out.frames = document.querySelectorAll('iframe, object, embed').length;
out.markup = Array.from(document.querySelectorAll('main b, main img, main svg:not(.funnel), main svg:not(.funnel) *, main iframe, #search-results img, #search-results b, #search-results script'))
  .filter(function (e) { return !e.closest('svg.funnel'); }).map(function (e) { return e.outerHTML.slice(0, 80); });
return out;
"""


def xss_checks(b, charter, xss_src, xss):
    pages = [p for p in ["index.html", "glossary.html", "funnel.html", "qualification.html", "agreements.html",
                         "teams.html"] if os.path.isfile(os.path.join(xss, p))]
    problems_by_page = {}

    def scan(label):
        problems = []
        alert = b.alert_text()
        if alert is not None:
            problems.append("an alert is open: %r" % alert)
        r = b.js(XSS_SCAN)
        if r["xss"] is not None:
            problems.append("window.__xss = %s" % r["xss"])
        if r["inlineScripts"]:
            problems.append("script elements with the payload: %s" % r["inlineScripts"])
        if r["termScripts"]:
            problems.append("%d script elements in article.term" % r["termScripts"])
        if r["handlers"] or r["onerror"]:
            problems.append("event handler attributes: %s" % r["handlers"][:6])
        if r["jsLinks"] or r["jsPrefix"]:
            problems.append("javascript: URLs: %s" % r["jsLinks"][:6])
        if r["frames"]:
            problems.append("%d iframe/object/embed elements" % r["frames"])
        if r["markup"]:
            problems.append("markup from the charter became elements: %s" % r["markup"][:6])
        b.drain("xss " + label)
        problems_by_page[label] = problems
        return problems

    @check("xss-pages")
    def _():
        assert "glossary.html" in pages, "the XSS site has no glossary.html"
        bad = []
        for p in pages:
            b.open(os.path.join(xss, p), "xss " + p)
            time.sleep(0.1)  # let an onerror of a broken <img> fire
            probs = scan(p)
            if probs:
                bad.append("%s: %s" % (p, "; ".join(probs)))
        assert not bad, "\n  ".join(bad)
        return "no alert, window.__xss unset, no script/handler/javascript: URL from the charter on %s" % ", ".join(pages)

    @check("xss-text")
    def _():
        b.open(os.path.join(xss, "glossary.html"), "xss glossary.html")
        arts = b.js("""var o = {}; document.querySelectorAll('article.term').forEach(function (a) {
                         var h = a.querySelector('h2, h3');
                         o[a.id] = [h ? h.textContent : null, a.innerText, a.textContent]; }); return o;""")
        expected = {"script_tag", "image_onerror", "javascript_link", "markup_label", "closing_script"}
        assert set(arts) == expected, "article.term ids %s, expected %s" % (sorted(arts), sorted(expected))
        problems = []
        label = arts["markup_label"][0] or ""
        if "Bold <b>\"'& label" not in label:
            problems.append("markup_label's heading reads %r, expected the label as text: Bold <b>\"'& label" % label)
        if "</script><script>window.__xss=1</script>" not in (arts["closing_script"][0] or ""):
            problems.append("closing_script's heading reads %r, expected its label as text" % arts["closing_script"][0])
        # A payload is fine shown as text (innerText) or dropped; not fine hidden in the DOM
        # (in textContent but not innerText: inside a script, a style, an attribute...).
        for tid, payloads in {"script_tag": ["alert(1)", "window.__xss=1"],
                              "image_onerror": ["onerror"], "javascript_link": ["javascript:"]}.items():
            _, inner, text = arts[tid]
            for p in payloads:
                if p.lower() in text.lower() and p.lower() not in inner.lower():
                    problems.append("%s: %r is in the DOM but not visible" % (tid, p))
        assert not problems, "; ".join(problems)
        shown = [p for p in ["<script>alert(1)</script>", '<img src=x onerror="window.__xss=1">'] if p in arts["script_tag"][1] + arts["image_onerror"][1]]
        return "labels shown as text; raw HTML %s" % ("shown as text: %s" % shown if shown else "dropped")

    @check("xss-search")
    def _():
        b.open(os.path.join(xss, "glossary.html"), "xss glossary.html")
        bad = []
        for q in ["script", "<b", "onerror", "&"]:
            b.type_search(q)
            rows = b.results()
            probs = scan("search %r" % q)
            if probs:
                bad.append("%r: %s" % (q, "; ".join(probs)))
            if q == "<b" and not any(r[0] == "markup_label" for r in rows):
                bad.append("%r does not list markup_label (label 'Bold <b>\"'& label'): %s" % (q, [r[0] for r in rows]))
        assert not bad, "\n  ".join(bad)
        return "searching 'script', '<b', 'onerror', '&' renders the results as text"

    @check("xss-validates")
    def _():
        run_charter(charter, ["validate", xss_src], "validate the XSS charter")
        return "charter validate tests/browser/xss: no problems"


def paged_checks(b, charter, paged, tmp):
    base, extra = 1100, 1000
    n = base + extra  # K: about 39 + 1,000 terms, two pages
    src = os.path.join(tmp, "paged-src")
    os.makedirs(src)
    paged_charter(os.path.join(src, "charter.yaml"), base, extra)

    @check("paged-glossary")
    def _():
        run_charter(charter, ["docs", src, "--out", paged], "render a glossary of %d terms" % n)
        b.open(os.path.join(paged, "glossary.html"), "paged glossary.html")
        on_index = b.js("return document.querySelectorAll('article.term').length")
        links = b.js("""return Array.from(new Set(Array.from(document.querySelectorAll('a[href]')).map(function (a) {
                          return a.getAttribute('href').split('#')[0]; }).filter(function (h) {
                          return /^glossary\/[^\/]+\.html$/.test(h); })));""")
        assert links, "glossary.html of %d terms links to no glossary/<letter>.html page" % n
        assert on_index == 0, "glossary.html of %d terms is not a letter index: it has %d article.term" % (n, on_index)
        files = sorted(os.listdir(os.path.join(paged, "glossary")))
        names = sorted(l.split("/")[1] for l in links)
        assert names == files, "the letter index links to %s, the folder has %s" % (names, files)
        import re
        bad = [f for f in files if not re.match(r"^([a-z]|other)(-[2-9]|-[1-9][0-9]+)?\.html$", f)]
        assert not bad, "glossary pages outside a..z|other[-N]: %s" % bad
        assert "k-2.html" in files and "k-3.html" not in files, "K (1,039 terms) is not on k.html and k-2.html: %s" % files
        seen = []
        for f in files:
            b.open(os.path.join(paged, "glossary", f), "paged glossary/" + f)
            seen += b.js("return Array.from(document.querySelectorAll('article.term')).map(function (a) {"
                         " return a.id + '|' + a.getAttribute('data-term') + '|' + ((a.querySelector('h2, h3') || {}).textContent || ''); })")
        ids = [s.split("|")[0] for s in seen]
        assert len(ids) == n and len(set(ids)) == n, "%d article.term over %d letter pages (%d distinct), expected %d" % (
            len(ids), len(files), len(set(ids)), n)
        misplaced = []
        for s in seen:
            tid, dt, label = s.split("|", 2)
            if tid != dt:
                misplaced.append("%s has data-term %s" % (tid, dt))
        assert not misplaced, "; ".join(misplaced[:5])
        per_page = {}
        for f in files:
            b.open(os.path.join(paged, "glossary", f), "paged glossary/" + f)
            per_page[f] = b.js("return document.querySelectorAll('article.term').length")
        big = {f: c for f, c in per_page.items() if c > 1000}
        assert not big, "pages of more than 1,000 terms: %s" % big
        return "%d terms on %d pages (%s), glossary.html an index" % (len(ids), len(files), " ".join(f[:-5] for f in files))

    @check("paged-search")
    def _():
        b.open(os.path.join(paged, "glossary.html"), "paged glossary.html")
        b.type_search("zulu tango")
        rows = b.results()
        assert rows, "searching 'zulu tango' on the letter index lists nothing"
        assert len(rows) <= 50, "%d results, more than the cap of 50" % len(rows)
        b.type_search("golf")
        rows = b.results()
        assert len(rows) == 50, "'golf' matches over 80 terms: %d results, expected the cap of 50" % len(rows)
        tid, href = rows[0][0], rows[0][3]
        assert href and "/glossary/" in href and href.endswith("#" + tid), \
            "the result for %s links to %s, not to glossary/<letter>.html#%s" % (tid, href, tid)
        b.d.get(href)
        b.drain("paged letter page from search")
        ok = b.js("var e = document.getElementById(arguments[0]); return !!(e && e.matches('article.term'));", tid)
        assert ok, "%s has no article.term#%s" % (href, tid)
        b.type_search("golf")
        rows2 = b.results()
        assert rows2 and all(r[3] and "/glossary/" in r[3] for r in rows2), \
            "search on a letter page: links %s" % [r[3] for r in rows2][:3]
        return "50 results (the cap) for 'golf'; links lead to glossary/<letter>.html#id, from letter pages too"

    @check("paged-anchor")
    def _():
        # docs/cli.md: with letter pages, `glossary.html#TERM_ID` still leads to the term.
        tid = "t0006_golf"  # words[6], label "Golf ..."
        b.d.get("file://" + os.path.join(paged, "glossary.html") + "#" + tid)
        end = time.monotonic() + 3
        while time.monotonic() < end and "/glossary/" not in b.d.current_url:
            time.sleep(0.05)
        b.drain("paged glossary.html#" + tid)
        url = b.d.current_url
        ok = b.js("var e = document.getElementById(arguments[0]); return !!(e && e.matches('article.term'));", tid)
        assert ok and url.endswith("#" + tid), \
            "glossary.html#%s ends at %s, which has %s article.term#%s" % (tid, url, "an" if ok else "no", tid)
        return "glossary.html#%s leads to %s" % (tid, url.split("/paged/", 1)[-1])

    @check("paged-letter-pages")
    def _():
        # K holds more than 1,000 terms: k.html and k-2.html, linked both ways and from the index.
        b.open(os.path.join(paged, "glossary.html"), "paged glossary.html")
        listed = b.js("""return Array.from(document.querySelectorAll('.letter-index a')).map(function (a) {
                           return a.getAttribute('href') + '|' + a.textContent; });""")
        k = [l for l in listed if l.startswith("glossary/k")]
        assert [l.split("|")[0] for l in k] == ["glossary/k.html", "glossary/k-2.html"], \
            "the letter index lists for K: %s" % k
        assert all(" – " in l.split("|", 1)[1] for l in k), "K's pages are listed without their range: %s" % k
        b.open(os.path.join(paged, "glossary", "k-2.html"), "paged glossary/k-2.html")
        rel = b.js("""var r = {}; document.querySelectorAll('a[rel]').forEach(function (a) {
                        r[a.rel] = a.getAttribute('href').split('/').pop(); }); return r;""")
        assert rel == {"prev": "k.html", "next": "l.html"}, "k-2.html: prev/next lead to %s" % rel
        b.d.find_element("css selector", "a[rel=prev]").click()
        here = b.d.current_url.rsplit("/", 1)[-1]
        nxt = b.js("return document.querySelector('a[rel=next]').getAttribute('href')")
        assert here == "k.html" and nxt.endswith("/k-2.html"), "prev of k-2.html: %s (its next: %s)" % (here, nxt)
        b.drain("paged glossary/k.html")
        # A term of the second page: from search, and through glossary.html#ID.
        tid = b.js("""var d = window.CHARTER_SEARCH, p = d.pages.indexOf('glossary/k-2.html');
                      var t = d.terms.filter(function (t) { return t[2] === p; }); return t.length ? t[t.length - 1][0] : null;""")
        assert tid, "the search index puts no term on glossary/k-2.html"
        b.type_search(tid)
        rows = [r for r in b.results(want=tid) if r[0] == tid]
        assert rows and rows[0][3].endswith("/glossary/k-2.html#" + tid), \
            "search for %s links to %s" % (tid, rows[0][3] if rows else "nothing")
        b.d.get("file://" + os.path.join(paged, "glossary.html") + "#" + tid)
        end = time.monotonic() + 3
        while time.monotonic() < end and "/glossary/" not in b.d.current_url:
            time.sleep(0.05)
        b.drain("paged glossary.html#" + tid)
        assert b.d.current_url.endswith("/glossary/k-2.html#" + tid), "glossary.html#%s ends at %s" % (tid, b.d.current_url)
        return "k.html and k-2.html listed with their ranges, prev/next between them; search and glossary.html#%s lead to k-2.html" % tid

    @check("paged-long-page-anchor")
    def _():
        # article.term has content-visibility: auto; an #id far down a page of 1,000 terms still lands
        # on its term, and printing shows every term.
        tid = b.js("""var d = window.CHARTER_SEARCH, p = d.pages.indexOf('glossary/k.html');
                      var t = d.terms.filter(function (t) { return t[2] === p; }); return t[Math.floor(t.length * 0.9)][0];""")
        b.d.get("about:blank")
        b.d.get("file://" + os.path.join(paged, "glossary", "k.html") + "#" + tid)
        b.drain("paged glossary/k.html#" + tid)
        where = []
        for _ in range(3):  # right away, then after the terms around it were laid out
            where.append(b.js("""var e = document.getElementById(arguments[0]); var r = e.getBoundingClientRect();
                                 return [Math.round(r.top), Math.round(r.bottom), innerHeight, Math.round(scrollY)];""", tid))
            time.sleep(0.3)
        cv = b.js("return getComputedStyle(document.getElementById(arguments[0])).contentVisibility", tid)
        for top, bottom, height, y in where:
            assert y > 1000 and 0 <= top <= 200 and bottom <= height, \
                "k.html#%s: the term is at top %s, bottom %s of a %s px window (scrollY %s); all: %s" % (
                    tid, top, bottom, height, y, where)
        b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            printed = b.js("return getComputedStyle(document.querySelector('article.term')).contentVisibility")
        finally:
            b.d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        assert cv == "auto" and printed == "visible", \
            "content-visibility of article.term: %s on screen, %s in print" % (cv, printed)
        return "k.html#%s: the term at top %s px (scrollY %s), still there after 0.6 s; content-visibility auto, visible in print" % (
            tid, where[-1][0], where[-1][3])


def console_check(b):
    for label in ["index.html", "glossary.html", "funnel.html", "qualification.html", "agreements.html", "teams.html"]:
        if label not in b.console:
            b.console[label] = ["(page not visited: an earlier check failed)"]
    bad = {k: v for k, v in b.console.items() if v}
    report("console-errors", not bad,
           ("SEVERE console messages:\n  " + "\n  ".join("%s: %s" % (k, " | ".join(v[:3])) for k, v in bad.items()))
           if bad else "no SEVERE console message on %d page visits (%s)" % (
               len(b.console), ", ".join(sorted(k for k in b.console if " " not in k))))


if __name__ == "__main__":
    main()
