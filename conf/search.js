/* Torchlight's search results: the pages that teach first, and page text as the summary.
 *
 * Sphinx puts this file (html_search_scorer in conf/conf.py) into
 * language_data.js, which the search page loads after searchtools.js.
 *
 * Ranking: Sphinx's own weights, then the section indexes, the landing page and
 * "About this build" go after every tutorial, exercise, guide and API page: they
 * name every topic, so they match most queries, and teach none of them. (The API
 * has a page per module, reference/<module>; reference/index lists them.)
 *
 * Summary: Sphinx shows the text of the page's main element around the first
 * match, or its start; that start was the same boilerplate on every executed
 * page (the breadcrumbs, the "Outputs produced by PyTorch ..." note, the
 * reading time and prerequisites, the downloads box). The summary is read from
 * the article itself, without the title, those, and the previous/next links.
 */

var Scorer = {
  score: (result) => {
    const [docname, , , , score] = result;
    const overview =
      docname === "index" ||
      docname.endsWith("/index") ||
      docname.startsWith("about/");
    return overview ? score - 1000 : score;
  },
  // Sphinx's defaults (sphinx/themes/basic/static/searchtools.js).
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};

/** What is not the page's own text, in the summary of a search result. */
const TORCHLIGHT_NOT_PAGE_TEXT = [
  ".headerlink",
  "script",
  "style",
  "h1",
  ".bd-header-article",
  ".tl-provenance",
  ".tl-page-facts",
  ".tl-take-home",
  ".tl-page-source",
  ".prev-next-area",
  "footer",
];

if (typeof Search !== "undefined") {
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    for (const selector of TORCHLIGHT_NOT_PAGE_TEXT) {
      page.querySelectorAll(selector).forEach((element) => element.remove());
    }
    if (anchor) {
      const section = page.querySelector(`[role="main"] ${anchor}`);
      if (section) return section.textContent;
    }
    const article = page.querySelector('[role="main"] article') || page.querySelector('[role="main"]');
    return article ? article.textContent : "";
  };
}
