"""Files the site carries besides its pages: sitemap, robots, redirects, data, feeds, search."""
