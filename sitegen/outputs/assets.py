"""The static files as the site serves them.

Each file of static/, and filters.css (made from the registries), is written
twice: a fingerprinted copy under assets/ (`style.<hash>.css`), whose name
changes with its bytes so a browser may keep it for a year (netlify.toml), and
a plain copy under static/ at a name that never changes (what `sitegen serve`'s
error page and old links use). Pages link the fingerprinted copies: the
template environment is given `Assets.names`, nothing else holds them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sitegen.content.model import Site
from sitegen.outputs.filters import filters_css
from sitegen.site import urls

FILTERS_CSS = "filters.css"  # generated, next to the hand-written stylesheets


@dataclass(frozen=True)
class Assets:
    names: dict[str, str]  # static file name ('/'-separated) -> its fingerprinted name
    files: dict[str, bytes]  # output path -> bytes: both copies of every file


def fingerprinted(name: str, body: bytes) -> str:
    """name with a hash of body before its extension: style.css -> style.0123456789.css."""
    stem, dot, ext = name.rpartition(".")
    digest = hashlib.blake2b(body, digest_size=5).hexdigest()
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


def assets(static: Path, site: Site) -> Assets:
    """Both copies of every static file and of filters.css (a static file of that name is replaced)."""
    files = {path.relative_to(static).as_posix(): path.read_bytes()
             for path in sorted(static.rglob("*")) if path.is_file()} if static.is_dir() else {}
    files[FILTERS_CSS] = filters_css(site)
    names = {name: fingerprinted(name, body) for name, body in files.items()}
    out = {str(urls.output_path(urls.static_file(name))): body for name, body in files.items()}
    out.update((str(urls.output_path(urls.static(name, names))), body) for name, body in files.items())
    return Assets(names, out)
