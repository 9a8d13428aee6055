"""The site stage: what the pages are, where they live and how they are rendered.

- derive: indexes over the model (by district, year, agency kind, theme, metric) and the diffs
  the site shows, made when first asked for (DiffCache)
- diffs: which diffs the site shows, their titles and URLs
- urls: every URL and output path; nothing else decides them
- pages/: one module a page family, each listing Page(url, template, view, deps)
- render: the Jinja2 environment (autoescape, StrictUndefined); memo: the `cached` filter
"""
