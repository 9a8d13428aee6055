"""What every stage shares: nothing here knows about plans or pages.

- diagnostics: Diagnostic (path, line, column, Chinese message, hint, code), ContentError, output formats
- project: where a build reads and writes
- parallel: fork_map, the one way work is spread over cores
- filehash: FileHashes, file hashes remembered by stat signature
- gcpause: the cyclic collector while a site is loaded and rebuilt
"""
