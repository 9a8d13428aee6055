"""The rules a content folder must pass beyond its files' shapes (which the models check).

- plan: one plan on its own against the registries (where it lives, dates, ids, measures, targets)
- clause: a measure's agencies list against its printed responsibility clause
- source: a plan's text against its published source
- registries: the registry files on their own (unique slugs, agency names, data file names)
- across: what needs several plan files (one plan a year, `was` links, comparisons)

Every check adds what it finds to a list of Diagnostic values and returns: a
run reports every problem of every file at once.
"""
