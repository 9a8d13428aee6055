"""sitemap.xml and robots.txt: where crawlers find every page."""

from __future__ import annotations

from xml.sax.saxutils import escape

from sitegen.site import urls


def sitemap(base_url: str, page_urls: list[str]) -> bytes:
    # No <lastmod>: the build has no honest date for most pages, and a made-up one misleads crawlers.
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(urls.absolute(base_url, u))}</loc></url>" for u in sorted(page_urls)]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(base_url, urls.sitemap())}\n".encode("utf-8")
