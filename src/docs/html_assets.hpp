// charter docs — the static assets of the HTML site: its stylesheet and its search script.
// Both are shipped as files (assets/style.css, assets/search.js) so the pages work from
// file:// and from any web server without network access.
#pragma once

#include <string_view>

namespace charter::docs {

/// assets/style.css: system fonts, light and dark themes (prefers-color-scheme), responsive
/// layout, visible focus, print stylesheet.
extern const std::string_view kHtmlStyle;

/// assets/search.js: search as you type over `window.CHARTER_SEARCH` (assets/search-index.js),
/// hiding non-matching terms on the one-page glossary, and the redirect of
/// `glossary.html#TERM_ID` to the page of a split glossary that holds the term.
extern const std::string_view kHtmlSearchScript;

}  // namespace charter::docs
