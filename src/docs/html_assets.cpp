// The stylesheet and the search script of the HTML site (html_assets.hpp), as raw string literals.
#include "docs/html_assets.hpp"

namespace charter::docs {

const std::string_view kHtmlStyle =
    R"css(/* charter docs: one stylesheet for every page; system fonts, no external files. */
:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1f2328;
  --muted: #57606a;
  --border: #d0d7de;
  --surface: #f6f8fa;
  --card: #ffffff;
  --accent: #0a58ca;
  --focus: #0a58ca;
  --header-bg: #0f172a;
  --header-fg: #f8fafc;
  --header-focus: #7cc4ff;
  --ok-bg: #dafbe1;
  --ok-fg: #116329;
  --draft-bg: #fff8c5;
  --draft-fg: #6f4a00;
  --dep-bg: #ffebe9;
  --dep-fg: #a0111f;
  --code-bg: #eff1f3;
  --shadow: 0 1px 2px rgba(31, 35, 40, 0.08);
  --radius: 8px;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117;
    --fg: #e6edf3;
    --muted: #9da7b3;
    --border: #30363d;
    --surface: #1c2129;
    --card: #151b23;
    --accent: #58a6ff;
    --focus: #79c0ff;
    --header-bg: #010409;
    --header-fg: #e6edf3;
    --ok-bg: #12361f;
    --ok-fg: #56d364;
    --draft-bg: #3a2d00;
    --draft-fg: #e3b341;
    --dep-bg: #4a1418;
    --dep-fg: #ff9492;
    --code-bg: #1f242c;
    --shadow: none;
  }
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; scroll-padding-top: 5.5rem; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "PingFang SC",
    "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  font-size: 1rem;
  line-height: 1.6;
}
a { color: var(--accent); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
.skip-link {
  position: absolute; left: 0.5rem; top: -4rem; z-index: 100;
  padding: 0.5rem 1rem; background: var(--card); color: var(--accent);
  border: 2px solid var(--focus); border-radius: var(--radius); font-weight: 600;
}
.skip-link:focus { top: 0.5rem; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}

/* ---- header: brand, sections, search ---- */
.site-header { position: sticky; top: 0; z-index: 10; background: var(--header-bg); color: var(--header-fg); }
.site-header :focus-visible { outline-color: var(--header-focus); }
.header-inner {
  max-width: 72rem; margin: 0 auto; padding: 0.6rem 1.25rem;
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.25rem;
}
.brand { color: inherit; font-weight: 700; font-size: 1.05rem; text-decoration: none; }
.site-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.15rem; }
.site-nav a {
  display: block; padding: 0.3rem 0.6rem; border-radius: 6px; color: inherit; text-decoration: none; opacity: 0.85;
}
.site-nav a:hover { opacity: 1; background: rgba(255, 255, 255, 0.1); }
.site-nav a[aria-current="page"] { opacity: 1; background: rgba(255, 255, 255, 0.18); font-weight: 600; }
.search { position: relative; margin-left: auto; flex: 1 1 16rem; max-width: 26rem; }
.search input {
  width: 100%; padding: 0.45rem 0.75rem; font: inherit; color: var(--fg); background: var(--bg);
  border: 1px solid var(--border); border-radius: 6px;
}
.search-panel {
  contain: content;
  position: absolute; left: 0; right: 0; top: calc(100% + 0.35rem); z-index: 20; overflow: hidden;
  background: var(--card); color: var(--fg); border: 1px solid var(--border); border-radius: var(--radius);
  box-shadow: 0 8px 24px rgba(0, 0, 0, 0.2);
}
.search.is-closed .search-panel { display: none; }
.search-results { margin: 0; padding: 0.25rem 0; list-style: none; max-height: min(65vh, 32rem); overflow-y: auto; }
.search-results:empty { display: none; }
.search-status { margin: 0; padding: 0.4rem 0.75rem; color: var(--muted); font-size: 0.875rem; border-top: 1px solid var(--border); }
.search-results:empty + .search-status { border-top: 0; }
.search-status:empty { display: none; }
.search-results li { padding: 0.4rem 0.75rem; line-height: 1.4; }
.search-results li + li { border-top: 1px solid var(--border); }
.search-results a { font-weight: 600; }
.search-results .hint { color: var(--muted); font-size: 0.875rem; }
.search-results .avoid-word { color: var(--dep-fg); text-decoration: line-through; }

/* ---- content ---- */
main { display: block; max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
main:focus { outline: none; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.6em 0 0.6em; }
h1 { font-size: 2rem; margin-top: 0.5rem; }
h2 { font-size: 1.45rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--border); }
h3 { font-size: 1.15rem; }
h4 { font-size: 1rem; }
.lead { font-size: 1.1rem; color: var(--muted); max-width: 48rem; }
.meta, .uses { color: var(--muted); font-size: 0.925rem; }
code {
  font-family: var(--mono); font-size: 0.875em; background: var(--code-bg);
  padding: 0.1em 0.35em; border-radius: 4px; overflow-wrap: anywhere;
}
pre { background: var(--code-bg); padding: 0.75rem 1rem; border-radius: 6px; overflow-x: auto; }
pre code { padding: 0; background: none; }
blockquote { margin: 0.75rem 0; padding: 0 1rem; border-left: 4px solid var(--border); color: var(--muted); }
img { max-width: 100%; height: auto; }

article.term, .card, section.stage, section.exit, section.criteria, section.score, article.sla, article.goal,
article.meeting, section.calendar, section.team {
  background: var(--card); border: 1px solid var(--border); border-radius: var(--radius);
  padding: 1rem 1.25rem; margin: 1rem 0; box-shadow: var(--shadow);
}
article.term > :first-child, .card > :first-child, section.stage > :first-child, section.exit > :first-child,
section.criteria > :first-child, section.score > :first-child, article.sla > :first-child,
article.goal > :first-child, article.meeting > :first-child, section.calendar > :first-child,
section.team > :first-child { margin-top: 0; }
section.stage h2, section.team h2 { border-bottom: 0; padding-bottom: 0; }
:target { scroll-margin-top: 0; }
article:target, section:target, tr:target { box-shadow: 0 0 0 3px var(--focus); }

/* ---- glossary ---- */
.term h2, .term h3 {
  margin: 0 0 0.5rem; padding: 0; border: 0; font-size: 1.2rem;
  display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.3rem 0.6rem;
}
.term-link { color: inherit; text-decoration: none; }
.term-link:hover { text-decoration: underline; }
abbr.abbr {
  font-size: 0.85rem; font-weight: 600; text-decoration: none; color: var(--muted);
  border: 1px solid var(--border); border-radius: 4px; padding: 0 0.35em;
}
.status {
  display: inline-block; font-size: 0.72rem; font-weight: 700; line-height: 1.6; padding: 0 0.6em;
  border-radius: 999px; text-transform: uppercase; letter-spacing: 0.03em; white-space: nowrap;
}
.status-approved { background: var(--ok-bg); color: var(--ok-fg); }
.status-draft { background: var(--draft-bg); color: var(--draft-fg); }
.status-deprecated { background: var(--dep-bg); color: var(--dep-fg); }
article.term.is-deprecated { border-left: 4px solid var(--dep-fg); }
article.term.is-draft { border-left: 4px solid var(--draft-fg); }
.fallback {
  display: inline-block; font-size: 0.7rem; font-weight: 600; line-height: 1.5; padding: 0 0.4em;
  border: 1px dashed var(--muted); border-radius: 4px; color: var(--muted); vertical-align: middle; cursor: help;
}
.notice { padding: 0.5rem 0.75rem; border-radius: 6px; background: var(--dep-bg); color: var(--dep-fg); margin: 0 0 0.75rem; }
.notice a { color: inherit; font-weight: 600; }
.definition > .fallback { float: right; margin-left: 0.5rem; }
.definition > :first-child { margin-top: 0; }
.definition > :last-child { margin-bottom: 0; }
.definition table { width: auto; }
.no-definition { color: var(--muted); font-style: italic; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1rem; margin: 0.75rem 0 0; font-size: 0.95rem; }
.facts dt { color: var(--muted); font-weight: 600; }
.facts dd { margin: 0; }
.facts ul { margin: 0; padding-left: 1.1rem; }
.facts ul.plain { padding-left: 0; }
.facts dd > p { margin: 0 0 0.35rem; }
.facts dd > p:last-child { margin-bottom: 0; }
.locale {
  display: inline-block; min-width: 1.8rem; font-size: 0.72rem; font-weight: 700; text-align: center;
  text-transform: uppercase; color: var(--muted); border: 1px solid var(--border); border-radius: 4px; margin-right: 0.3rem;
}
.avoid-word { text-decoration: line-through; color: var(--dep-fg); }
.letters ul { list-style: none; padding: 0; margin: 1rem 0; display: flex; flex-wrap: wrap; gap: 0.3rem; }
.letters a {
  display: inline-block; min-width: 2.2rem; text-align: center; padding: 0.2rem 0.5rem;
  border: 1px solid var(--border); border-radius: 6px; text-decoration: none; font-weight: 600;
}
.letters a[aria-current] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
section.letter > h2 { margin-top: 2rem; }
.letter-index { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr)); gap: 0.6rem; }
.letter-index a {
  display: block; padding: 0.75rem 1rem; border: 1px solid var(--border); border-radius: var(--radius);
  background: var(--card); text-decoration: none;
}
.letter-index .letter { display: block; font-size: 1.5rem; font-weight: 700; }
.letter-index .count { color: var(--muted); font-size: 0.875rem; }
.letter-index li.letter-pages {
  grid-column: 1 / -1; padding: 0.75rem 1rem; border: 1px solid var(--border); border-radius: var(--radius);
  background: var(--card);
}
.letter-index li.letter-pages .letter { display: inline; margin-right: 0.6rem; }
.letter-index li.letter-pages ol {
  margin: 0.5rem 0 0; padding: 0; list-style: none; display: grid;
  grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 0.4rem;
}
.letter-index li.letter-pages ol a { padding: 0.35rem 0.6rem; border-radius: 6px; background: var(--surface); }
.pager {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 0.75rem; margin: 1rem 0;
}
.pager-next { margin-left: auto; }
.pager-pages { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem; }
.pager-pages a {
  display: inline-block; min-width: 2rem; text-align: center; padding: 0.1rem 0.45rem;
  border: 1px solid var(--border); border-radius: 6px; text-decoration: none;
}
.pager-pages a[aria-current="page"] { background: var(--accent); color: var(--bg); border-color: var(--accent); }
/* A long glossary page lays out only the terms near the viewport; a term laid out once keeps
   its size (auto), so the scroll bar settles and #anchors land on their term. */
article.term { content-visibility: auto; contain-intrinsic-size: auto 200px; }

/* ---- overview ---- */
.cards { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; }
.cards a {
  display: block; height: 100%; padding: 1rem 1.25rem; border: 1px solid var(--border); border-radius: var(--radius);
  background: var(--card); text-decoration: none; color: inherit; box-shadow: var(--shadow);
}
.cards a:hover { border-color: var(--accent); }
.cards strong { display: block; font-size: 1.15rem; color: var(--accent); margin-bottom: 0.25rem; }
.cards span { color: var(--muted); font-size: 0.925rem; }
.stage-strip { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.stage-strip li:not(:last-child)::after { content: "\2192"; margin-left: 0.4rem; color: var(--muted); }
figure.funnel-figure { margin: 1rem 0; overflow-x: auto; }
svg.funnel { max-width: 100%; height: auto; color: var(--fg); }
svg.funnel a:focus-visible path, svg.funnel a:focus-visible rect { stroke: var(--focus); stroke-width: 3px; }

/* ---- rules, tables, agreements ---- */
.rule { margin: 0.5rem 0; }
.rule .plain { font-weight: 500; }
.rule code { display: inline-block; margin-top: 0.2rem; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--border); }
thead th { background: var(--surface); font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.commitment { font-size: 1.05rem; font-weight: 500; }
.week { max-width: 40rem; }
.week th[scope="row"] { width: 4rem; }
.week .hours { white-space: nowrap; width: 11rem; }
.week .closed { color: var(--muted); }
.track { position: relative; display: block; height: 0.9rem; margin-top: 0.3rem; min-width: 8rem; background: var(--surface); border: 1px solid var(--border); border-radius: 4px; }
.track .open { position: absolute; top: 0; bottom: 0; background: var(--accent); border-radius: 3px; }
.values { font-size: 0.9rem; }
ul.plain { list-style: none; padding: 0; margin: 0; }

.site-footer {
  max-width: 72rem; margin: 0 auto; padding: 1.25rem 1.25rem 2.5rem;
  color: var(--muted); font-size: 0.875rem; border-top: 1px solid var(--border);
}

/* ---- phones ---- */
@media (max-width: 40rem) {
  html { scroll-padding-top: 1rem; }
  .site-header { position: static; }
  .header-inner { padding: 0.5rem 0.75rem; }
  .search { max-width: none; flex-basis: 100%; margin-left: 0; }
  main { padding: 1rem 0.75rem 2rem; }
  h1 { font-size: 1.6rem; }
  .facts { grid-template-columns: 1fr; gap: 0.1rem; }
  .facts dd { margin-bottom: 0.4rem; }
  article.term, .card, section.stage, section.exit, section.criteria, section.score, article.sla, article.goal,
  article.meeting, section.calendar, section.team { padding: 0.75rem 0.9rem; }
  :target { scroll-margin-top: 1rem; }
}

/* ---- print ---- */
@media print {
  :root {
    --bg: #fff; --fg: #000; --muted: #444; --border: #bbb; --surface: #f2f2f2; --card: #fff; --accent: #000;
    --code-bg: #f2f2f2; --shadow: none;
  }
  .skip-link, .site-nav, .search, .letters, .pager { display: none !important; }
  article.term { content-visibility: visible; }
  .site-header { position: static; background: none; color: #000; border-bottom: 1px solid #000; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  article.term, section.stage, section.exit, section.criteria, section.score, article.sla, article.goal,
  article.meeting, section.calendar, section.team, tr { break-inside: avoid; box-shadow: none; }
  h1, h2, h3 { break-after: avoid; }
}
)css";

const std::string_view kHtmlSearchScript =
    R"js(// charter docs: search as you type. The index is window.CHARTER_SEARCH (assets/search-index.js):
//   {"pages": [page, ...], "ui": {...}, "terms": [[id, label, page, abbreviation, [aliases], [avoid], [translations]], ...]}
// It is folded once (NFKD, without combining marks, lower case); each keystroke is one linear scan.
(function () {
  'use strict';
  var data = window.CHARTER_SEARCH;
  var body = document.body;
  if (!data || !data.terms || !body) return;
  var terms = data.terms;
  var pages = data.pages || [];
  var ui = data.ui || {};
  var root = body.getAttribute('data-root') || '';
  var LIMIT = 50;
  var SEP = '\u0001';
  var KINDS = ['label', 'abbreviation', 'alias', 'translation', 'avoid', 'id'];

  function termUrl(t) { return root + pages[t[2] || 0] + '#' + encodeURIComponent(t[0]); }

  // glossary.html#TERM_ID of a split glossary: go to the page that holds the term.
  function redirect() {
    if (body.getAttribute('data-page') !== 'glossary-index' || location.hash.length < 2) return;
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    for (var i = 0; i < terms.length; i++) {
      if (terms[i][0] === id) { location.replace(termUrl(terms[i])); return; }
    }
  }
  redirect();
  window.addEventListener('hashchange', redirect);

  var input = document.getElementById('search');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var box = input && input.closest ? input.closest('.search') : null;
  var panel = list && list.parentNode && list.parentNode.classList.contains('search-panel') ? list.parentNode : null;
  if (!input || !list) return;

  var marks;
  try { marks = new RegExp('\\p{M}', 'gu'); } catch (e) { marks = /[\u0300-\u036f]/g; }
  function fold(s) {
    s = String(s);
    if (s.normalize) s = s.normalize('NFKD');
    return s.replace(marks, '').toLowerCase().replace(/\s+/g, ' ');
  }
  function values(t, k) {
    switch (k) {
      case 0: return [t[1]];
      case 1: return t[3] ? [t[3]] : [];
      case 2: return t[4] || [];
      case 3: return t[6] || [];
      case 4: return t[5] || [];
      default: return [t[0]];
    }
  }

  // Every wording of every term, folded, in one string: for each term a record
  // "\n" SEP wording SEP wording ... SEP, starting at starts[i]. A query (which never holds
  // SEP or a line break) matches within one wording; one scan of the string finds all terms.
  var n = terms.length;
  var starts = new Int32Array(n + 1);
  var chunks = new Array(n);
  var byId = Object.create(null);
  var offset = 0;
  for (var i = 0; i < n; i++) {
    var parts = [];
    for (var k = 0; k < KINDS.length; k++) parts.push.apply(parts, values(terms[i], k));
    var rec = '\n' + SEP + fold(parts.join(SEP)) + SEP;
    starts[i] = offset;
    offset += rec.length;
    chunks[i] = rec;
    byId[terms[i][0]] = i;
  }
  starts[n] = offset;
  var all = chunks.join('');
  chunks = null;

  // Calls fn(i) for each term i whose record contains p, in order, until fn returns true.
  function scan(p, fn) {
    var i = 0, pos = all.indexOf(p);
    while (pos >= 0) {
      while (starts[i + 1] <= pos) i++;
      if (fn(i) || i + 1 >= n) return;
      pos = all.indexOf(p, starts[i + 1]);
    }
  }

  // Warm up the scan (compiled, index in cache) once the page is idle, before the first keystroke.
  setTimeout(function () { scan('e', function () { return false; }); }, 50);

  // The one-page glossary also hides the terms that do not match.
  var articles = null, articleTerm = null, sections = null;
  if (body.getAttribute('data-filter') === 'terms') {
    articles = document.querySelectorAll('article.term');
    articleTerm = new Int32Array(articles.length);
    for (var j = 0; j < articles.length; j++) {
      var ix = byId[articles[j].getAttribute('data-term')];
      articleTerm[j] = ix === undefined ? -1 : ix;
    }
    sections = document.querySelectorAll('section.letter');
  }

  // 0: a wording is the query; 1: a wording or a word of it starts with it; 2: contains it.
  function level(v, q) {
    if (v === q) return 0;
    if (v.indexOf(q) === 0 || v.indexOf(' ' + q) >= 0) return 1;
    return v.indexOf(q) >= 0 ? 2 : 3;
  }
  // Which wording of term t matched best: {kind, value}.
  function how(t, q) {
    var best = 3, kind = 0, value = t[1];
    for (var k = 0; k < KINDS.length && best > 0; k++) {
      var vs = values(t, k);
      for (var n = 0; n < vs.length; n++) {
        var l = level(fold(vs[n]), q);
        if (l < best) { best = l; kind = k; value = vs[n]; if (l === 0) break; }
      }
    }
    return { kind: KINDS[kind], value: value };
  }

  function setHidden(el, hidden) { if (el.hidden !== hidden) el.hidden = hidden; }

  function show(q) {
    // Ranked: a wording is the query; a wording starts with it; a word starts with it; the rest.
    var hits = [], total = 0;
    var flags = articles && q ? new Uint8Array(n) : null;
    if (q) {
      var matched = [];
      scan(q, function (i) { matched.push(i); return false; });
      total = matched.length;
      if (flags) for (var f = 0; f < total; f++) flags[matched[f]] = 1;
      var patterns = [SEP + q + SEP, SEP + q, ' ' + q];
      if (total <= 2000) {  // rank the matches record by record
        var ranks = [[], [], [], []];
        for (var m = 0; m < total; m++) {
          var rec = all.substring(starts[matched[m]], starts[matched[m] + 1]), r = 0;
          while (r < 3 && rec.indexOf(patterns[r]) < 0) r++;
          if (ranks[r].length < LIMIT) ranks[r].push(matched[m]);
        }
        hits = ranks[0].concat(ranks[1], ranks[2], ranks[3]).slice(0, LIMIT);
      } else if (total) {  // many matches: a few scans that stop once the list is full
        var seen = new Uint8Array(n);
        var take = function (i) {
          if (!seen[i]) { seen[i] = 1; hits.push(i); }
          return hits.length >= LIMIT;
        };
        for (var p = 0; p < 3 && hits.length < LIMIT; p++) scan(patterns[p], take);
        for (var o = 0; o < total && hits.length < LIMIT; o++) take(matched[o]);
      }
    }
    var frag = document.createDocumentFragment();
    for (var r = 0; r < hits.length; r++) {
      var t = terms[hits[r]], m = how(t, q);
      var li = document.createElement('li');
      li.setAttribute('data-term', t[0]);
      li.setAttribute('data-match', m.kind);
      var a = document.createElement('a');
      a.href = termUrl(t);
      a.textContent = t[1];
      if (m.kind === 'avoid') {
        var w = document.createElement('span');
        w.className = 'avoid-word';
        w.textContent = '\u201c' + m.value + '\u201d';
        li.appendChild(w);
        li.appendChild(document.createTextNode(' \u2192 ' + (ui.sayInstead || 'say instead') + ' '));
        li.appendChild(a);
      } else {
        li.appendChild(a);
        var hint = m.kind === 'abbreviation' || m.kind === 'label' ? (t[3] || '') : m.value;
        if (hint && hint !== t[1]) {
          var s = document.createElement('span');
          s.className = 'hint';
          s.textContent = ' \u00b7 ' + hint;
          li.appendChild(s);
        }
      }
      frag.appendChild(li);
    }
    while (list.firstChild) list.removeChild(list.firstChild);
    list.appendChild(frag);
    if (panel) panel.hidden = !q;
    if (status) {
      status.textContent = !q ? '' : total > hits.length ? (total - hits.length) + ' ' + (ui.more || 'more')
                         : total ? total + ' ' + (ui.results || 'results') : (ui.none || 'No matching terms');
    }
    if (articles) {
      for (var j = 0; j < articles.length; j++) setHidden(articles[j], !!flags && (articleTerm[j] < 0 || !flags[articleTerm[j]]));
      for (var s2 = 0; s2 < sections.length; s2++) {
        setHidden(sections[s2], !!flags && !sections[s2].querySelector('article.term:not([hidden])'));
      }
    }
  }

  function update() {
    if (box) box.classList.remove('is-closed');
    show(fold(input.value).trim());
  }
  function links() { return list.querySelectorAll('a'); }

  input.addEventListener('input', update);
  input.addEventListener('focus', function () { if (box) box.classList.remove('is-closed'); });
  input.addEventListener('keydown', function (e) {
    var l = links();
    if (e.key === 'ArrowDown' && l.length) { e.preventDefault(); l[0].focus(); }
    else if (e.key === 'Enter' && l.length) { e.preventDefault(); l[0].click(); }
    else if (e.key === 'Escape') { input.value = ''; update(); }
  });
  list.addEventListener('keydown', function (e) {
    var l = Array.prototype.slice.call(links()), at = l.indexOf(document.activeElement);
    if (at < 0) return;
    if (e.key === 'ArrowDown' && at + 1 < l.length) { e.preventDefault(); l[at + 1].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); (at > 0 ? l[at - 1] : input).focus(); }
    else if (e.key === 'Escape') { e.preventDefault(); input.focus(); }
  });
  document.addEventListener('pointerdown', function (e) {
    if (box && !box.contains(e.target)) box.classList.add('is-closed');
  });
  if (box) {
    box.addEventListener('focusout', function (e) {
      if (e.relatedTarget && !box.contains(e.relatedTarget)) box.classList.add('is-closed');
    });
  }
  if (input.value) update();
})();
)js";

}  // namespace charter::docs
