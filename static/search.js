// The search page, on Pagefind's JS API (design and figures: docs/search.md).
//
// The index holds every Han character as a word of its own (sitegen/outputs/search.py),
// so a query is looked up as an exact phrase of characters: 明厨亮灶 -> "明 厨 亮 灶".
// What a page contains is found whatever a dictionary or Intl.Segmenter would make of
// the words. Several terms (split at spaces or punctuation) must all be on a page.

const HAN = /([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}])/gu;
// Han characters and full-width punctuation: the spaces the index copy put around
// Han characters are taken out of titles and excerpts wherever they touch these.
const WIDE = "[\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff01-\\uff60\\u2014\\u2026\\u2018\\u2019\\u201c\\u201d\\u{20000}-\\u{3134f}]";
const MARKS = "(?:<\\/?mark>)*";
const AFTER_WIDE = new RegExp(`(${WIDE}${MARKS})\\s+`, "gu");
const BEFORE_WIDE = new RegExp(`\\s+(${MARKS}${WIDE})`, "gu");
const DECIMAL_POINT = "\u4e36";
// Five at a time: each result fetches its page's fragment, and a plan's is 10-20 kB.
const PAGE_SIZE = 5;
const SUB_RESULTS = 5;
const FILTERS = ["kind", "district", "year", "agency", "theme"];

/** The terms of a query: NFKC, lower case, split at spaces and punctuation (a decimal point stays). */
export function terms(query) {
  return query.normalize("NFKC").toLowerCase()
    .replace(/[^\p{L}\p{N}.]+/gu, " ")
    .replace(/(?<!\p{N})\.|\.(?!\p{N})/gu, " ")
    .split(" ").filter(Boolean);
}

/** A term as the exact phrase the index holds: 校园食品 -> "校 园 食 品"; 6.9 -> "6 丶 9" (a decimal point is 丶 there). */
export function phrase(term) {
  return `"${term.replace(/\./g, DECIMAL_POINT).replace(HAN, " $1 ").replace(/\s+/g, " ").trim()}"`;
}

/** Titles and excerpts without the spaces between Han characters. */
export function tidy(html) {
  return html.replace(/<\/mark>(\s*)<mark>/g, "$1")
    .replace(AFTER_WIDE, "$1").replace(BEFORE_WIDE, "$1")
    .replace(/<\/mark><mark>/g, "").replaceAll(DECIMAL_POINT, ".");
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * An excerpt with the query's terms marked, and only them: Pagefind marks each
 * character it matched, 厨 of 厨房 as well as of 明厨亮灶.
 */
export function highlight(html, terms) {
  let out = tidy(html).replace(/<\/?mark>/g, "");
  for (const t of [...terms].sort((a, b) => b.length - a.length)) {
    const escaped = t.replace(/[&<>"']/g, (c) => ESCAPES[c]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`(?<!<mark>)${escaped}`, "giu"), (m) => `<mark>${m}</mark>`);
  }
  return out;
}

let loading = null;
/**
 * Pagefind, with every shard of the index merged into it. A big site's index is built in shards
 * of whole districts (sitegen/outputs/search.py); shards.json names the folders of all but the
 * first, whose bundle holds the loader.
 */
export function load(bundle) {
  if (!loading) {
    loading = (async () => {
      const [pf, more] = await Promise.all([
        import(`${bundle}pagefind.js`),
        fetch(`${bundle}shards.json`).then((r) => (r.ok ? r.json() : Promise.reject(new Error(r.statusText)))),
      ]);
      // Words are single characters here, so an excerpt of 30 "words" would be 30 characters.
      // pageLength 0: a plan is long, and being long must not bury it under the short pages quoting it.
      const options = { excerptLength: 48, ranking: { pageLength: 0 } };
      // No worker: for an index this size the main thread is quick, and the worker is 41 kB more to fetch.
      await pf.options({ ...options, noWorker: true });
      await Promise.all(more.map((path) => pf.mergeIndex(`${bundle}${path}`, options)));
      return pf;
    })().catch((e) => {
      loading = null;
      throw e;
    });
  }
  return loading;
}

const sortKeys = new WeakMap();
/**
 * Each page's sort key, its latest year: the first year, counting down, among its year filter's
 * values. Pagefind sorts each shard by it, but merges shards by score, so the search page sorts.
 */
async function latestYears(pf) {
  if (!sortKeys.has(pf)) {
    const latest = new Map();
    const years = Object.keys((await pf.filters()).year || {}).sort().reverse();
    for (const y of years) {
      for (const r of (await pf.search(null, { filters: { year: [y] } })).results) {
        if (!latest.has(r.id)) latest.set(r.id, Number(y));
      }
    }
    sortKeys.set(pf, latest);
  }
  return sortKeys.get(pf);
}

/** Results in year order (ties keep their order), as the sort asks. */
async function sortByYear(pf, results, sort) {
  if (!sort.year) return results;
  const latest = await latestYears(pf);
  const sign = sort.year === "asc" ? 1 : -1;
  return results
    .map((r, i) => [r, i])
    .sort(([a, i], [b, j]) => sign * ((latest.get(a.id) ?? 0) - (latest.get(b.id) ?? 0)) || i - j)
    .map(([r]) => r);
}

/** Does a list of word positions hold n consecutive ones (the phrase's characters)? */
export function hasRun(locations, n) {
  const at = new Set(locations);
  return locations.some((l) => [...Array(n).keys()].every((i) => at.has(l + i)));
}

/**
 * Pages holding every term (an exact phrase each): plans first, then the theme and duty
 * pages quoting them, each group by Pagefind's score for the same characters searched
 * loosely (an exact search scores every page alike); or in Pagefind's year order.
 * Each result keeps its loose twin, whose sub-results list every place the phrase occurs
 * (an exact search reports the first only).
 */
export async function find(pf, query, filters, sort) {
  const ts = terms(query);
  if (!ts.length) {
    const s = await pf.search(null, { filters, sort });
    return { results: (await sortByYear(pf, s.results, sort)).map((r) => ({ result: r })), counts: s.filters, terms: ts };
  }
  let kept = null;
  let first = null;
  let twins = null;
  for (const t of ts) {
    const exact = await pf.search(phrase(t), { filters, sort });
    const loose = await pf.search(phrase(t).slice(1, -1), { filters });
    const scores = new Map(loose.results.map((r) => [r.id, r.score]));
    const here = new Map(exact.results.map((r) => [r.id, scores.get(r.id) ?? 0]));
    if (!first) {
      first = exact;
      kept = here;
      twins = new Map(loose.results.map((r) => [r.id, r]));
    } else {
      for (const [id, score] of kept) {
        if (here.has(id)) kept.set(id, score + here.get(id));
        else kept.delete(id);
      }
    }
  }
  let results = first.results.filter((r) => kept.has(r.id));
  if (sort.year) {
    results = await sortByYear(pf, results, sort);
  } else {
    // Filters tell a result's kind and title before its data is fetched: a page the
    // query names (a theme, an agency) leads, then plans, then the rest.
    const ids = async (extra) => new Set((await pf.search(phrase(ts[0]), { filters: { ...filters, ...extra } }))
      .results.map((r) => r.id));
    const titles = Object.keys((await pf.filters()).title || {})
      .filter((title) => ts.every((t) => title.normalize("NFKC").toLowerCase().includes(t)));
    const named = titles.length ? await ids({ title: { any: titles } }) : new Set();
    const plans = await ids({ kind: ["计划"] });
    const rank = (r) => (named.has(r.id) ? 2 : 0) + (plans.has(r.id) ? 1 : 0);
    results.sort((a, b) => (rank(b) - rank(a)) || (kept.get(b.id) - kept.get(a.id)));
  }
  return {
    results: results.map((r) => ({ result: r, twin: twins.get(r.id), words: phrase(ts[0]).split(" ").length })),
    // Filter counts are Pagefind's own, so exact for a single term only.
    counts: ts.length === 1 ? first.filters : null,
    terms: ts,
  };
}

/** The places on a page where the phrase occurs, each a sub-result linking to its anchor. */
export function matches(d, twin, words) {
  let subs = d.sub_results;
  if (twin) {
    const every = twin.sub_results.filter((s) => hasRun(s.locations, words));
    if (every.length) subs = every;
  }
  return subs.filter((s) => s.url.includes("#"));
}

function el(tag, attrs = {}, text = "") {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

function metaLine(meta) {
  const parts = [meta.kind, meta.district, meta.year && `${meta.year}年`, meta.status].filter(Boolean);
  return parts.join(" · ");
}

function renderResult(d, twin, words, terms) {
  const li = el("li", { class: "search-result" });
  const h = el("h2");
  h.append(el("a", { href: d.url }, d.meta.title || d.url));
  li.append(h);
  const line = metaLine(d.meta);
  if (line) li.append(el("p", { class: "result-meta" }, line));
  const subs = matches(d, twin, words);
  if (!subs.length) {
    const p = el("p", { class: "excerpt" });
    p.innerHTML = highlight(d.excerpt, terms); // Pagefind escapes the text; only <mark> is markup
    li.append(p);
    return li;
  }
  const ul = el("ul", { class: "sub-results", "aria-label": "页面中的匹配之处" });
  for (const s of subs.slice(0, SUB_RESULTS)) {
    const item = el("li");
    item.append(el("a", { href: s.url }, tidy(s.title)));
    const p = el("p", { class: "excerpt" });
    p.innerHTML = highlight(s.excerpt, terms);
    item.append(p);
    ul.append(item);
  }
  li.append(ul);
  if (subs.length > SUB_RESULTS) {
    li.append(el("p", { class: "more-in-page" }, `本页另有 ${subs.length - SUB_RESULTS} 处匹配`));
  }
  return li;
}

function init() {
  const form = document.getElementById("search-form");
  if (!form) return;
  const input = document.getElementById("search-q");
  const fieldset = document.getElementById("search-filters");
  const selects = Object.fromEntries(FILTERS.map((f) => [f, form.querySelector(`[data-filter="${f}"]`)]));
  const sortSelect = document.getElementById("f-sort");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const bundle = form.dataset.bundle;
  let current = { results: [], shown: 0 };
  let run = 0;

  function state() {
    const filters = {};
    for (const f of FILTERS) if (selects[f].value) filters[f] = [selects[f].value];
    const sort = sortSelect.value ? { year: sortSelect.value.endsWith("asc") ? "asc" : "desc" } : {};
    return { q: input.value.trim(), filters, sort };
  }

  function toUrl(st) {
    const params = new URLSearchParams();
    if (st.q) params.set("q", st.q);
    for (const f of FILTERS) if (selects[f].value) params.set(f, selects[f].value);
    if (sortSelect.value) params.set("sort", sortSelect.value);
    const qs = params.toString();
    return qs ? `?${qs}` : location.pathname;
  }

  function fillOptions(counts, totals) {
    for (const f of FILTERS) {
      const select = selects[f];
      const chosen = select.value;
      const values = Object.keys(totals[f] || {}).sort((a, b) => a.localeCompare(b, "zh-Hans-CN"));
      if (f === "year") values.reverse();
      select.replaceChildren(el("option", { value: "" }, "全部"));
      for (const v of values) {
        const n = counts && counts[f] ? counts[f][v] ?? 0 : null;
        select.append(el("option", { value: v }, n === null ? v : `${v}（${n}）`));
      }
      select.value = values.includes(chosen) ? chosen : "";
    }
  }

  async function showMore() {
    const id = run;
    const slice = current.results.slice(current.shown, current.shown + PAGE_SIZE);
    const data = await Promise.all(slice.map(async (r) => [await r.result.data(), r.twin && (await r.twin.data()), r.words]));
    if (id !== run) return;
    for (const [d, twin, words] of data) list.append(renderResult(d, twin, words, current.terms));
    current.shown += slice.length;
    more.hidden = current.shown >= current.results.length;
  }

  async function search(push) {
    const st = state();
    const id = ++run;
    if (push !== undefined) history[push ? "pushState" : "replaceState"](null, "", toUrl(st));
    list.replaceChildren();
    list.setAttribute("aria-busy", "true");
    more.hidden = true;
    if (!st.q && !Object.keys(st.filters).length) {
      status.textContent = "";
      list.setAttribute("aria-busy", "false");
      return;
    }
    status.textContent = "正在搜索……";
    let pf;
    try {
      pf = await load(bundle);
    } catch (e) {
      status.textContent = "搜索索引未能加载。可以改为按地区、年度、责任单位或主题浏览。";
      list.setAttribute("aria-busy", "false");
      return;
    }
    const found = await find(pf, st.q, st.filters, st.sort);
    if (id !== run) return;
    fillOptions(found.counts, await pf.filters());
    current = { results: found.results, shown: 0, terms: found.terms };
    const what = st.q ? `“${st.q}”` : "所选条件";
    const narrowed = Object.keys(st.filters).length ? "（已筛选）" : "";
    // Tasks are indexed on plan pages only (docs/search.md): say so when a task search is narrowed
    // to duty or theme pages and finds nothing there.
    const kind = (st.filters.kind || [])[0];
    const where = st.q && (kind === "单位职责" || kind === "主题")
      ? "单位职责页和主题页只按单位名称、主题和标题检索；任务正文请在类型“计划”中搜索，再按责任单位或主题筛选。"
      : "可以换一个词，或减少筛选条件。";
    status.textContent = found.results.length
      ? `${what}：找到 ${found.results.length} 个页面${narrowed}。`
      : `没有找到包含${what}的页面${narrowed}。${where}`;
    await showMore();
    if (id === run) list.setAttribute("aria-busy", "false");
  }

  fieldset.hidden = false;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    search(true);
  });
  for (const s of [...Object.values(selects), sortSelect]) s.addEventListener("change", () => search(false));
  more.addEventListener("click", showMore);
  window.addEventListener("popstate", () => restore());

  async function restore() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    const wanted = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) || ""]));
    if (FILTERS.some((f) => wanted[f])) {
      // The options come from the index: load it before choosing one.
      try {
        const pf = await load(bundle);
        fillOptions(null, await pf.filters());
      } catch (e) { /* reported by search() */ }
    }
    for (const f of FILTERS) selects[f].value = wanted[f];
    sortSelect.value = ["year-desc", "year-asc"].includes(params.get("sort")) ? params.get("sort") : "";
    await search();
  }
  restore();
}

init();
