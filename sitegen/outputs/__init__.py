"""Files of the site that are not pages: each a pure function of the site model."""
